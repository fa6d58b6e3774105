// The one place that names Durable Object ids. Every stub the Worker or an object asks for comes from
// here, so an object's naming (and sharding) rule is written once. Stub types come from the bindings in
// worker-configuration.d.ts, so this module imports no object class (no import cycles through it).
// Names are stored state: changing one orphans the objects named the old way.
import { settings } from '../config/settings';
import type { MetricsSink } from '../observability/metrics';
import { fnv1a, shardName } from './registry/shard';

/** ParentSession: one per parent QR. */
export function parentFor(env: Env, parentQr: string) {
  return env.PARENTS.get(env.PARENTS.idFromName(parentQr));
}

/** BillSession: `billNo` must already be normalized (normalizeBillNo), so "b-1" and "B-1" are one bill. */
export function billFor(env: Env, billNo: string) {
  return env.BILLS.get(env.BILLS.idFromName(billNo));
}

/** ReturnTicket (issue 13): `code` must already be normalized (normalizeReturnCode). */
export function returnFor(env: Env, code: string) {
  return env.RETURNS.get(env.RETURNS.idFromName(code));
}

/** QrRegistry: the shard responsible for `qr`. */
export function registryFor(env: Env, qr: string) {
  const name = shardName(qr, settings(env).REGISTRY_SHARDS);
  return env.REGISTRY.get(env.REGISTRY.idFromName(name));
}

/** EmptyParentLedger: one per user, the empty-parent cap's count (EMPTY_PARENTS_PER_USER). */
export function emptyParentLedgerFor(env: Env, userId: number) {
  return env.EMPTY_PARENTS.get(env.EMPTY_PARENTS.idFromName(`user:${userId}`));
}

/** LiveBoard of one area. */
export function boardFor(env: Env, areaId: number) {
  return env.BOARDS.get(env.BOARDS.idFromName(`area:${areaId}`));
}

/** LiveBoard of all areas. */
export function allBoard(env: Env) {
  return env.BOARDS.get(env.BOARDS.idFromName('all'));
}

export function flushShardCount(env: Env): number {
  return settings(env).FLUSH_SHARDS;
}

/** FlushQueue shard number for a key: a child QR for link changes and scans, a parent QR for snapshots. */
export function flushShardOf(env: Env, key: string): number {
  return fnv1a(key) % flushShardCount(env);
}

/** FlushQueue shard for a key (see flushShardOf). */
export function flushQueueFor(env: Env, key: string) {
  return flushQueueShard(env, flushShardOf(env, key));
}

export function flushQueueShard(env: Env, shard: number) {
  return flushQueueNamed(env, shard, flushShardCount(env));
}

/** Shard `shard` of `count`: the name is `flush:<shard>/<count>`, so each count has its own objects. */
export function flushQueueNamed(env: Env, shard: number, count: number) {
  return env.FLUSH_QUEUE.get(flushQueueId(env, shard, count));
}

/** The object id of shard `shard` of `count` (a FlushQueue finding out which shard it is). */
export function flushQueueId(env: Env, shard: number, count: number): DurableObjectId {
  return env.FLUSH_QUEUE.idFromName(`flush:${shard}/${count}`);
}

export interface FlushQueueRef {
  shard: number;
  /** The shard count it belongs to: FLUSH_SHARDS, or one listed in FLUSH_SHARDS_PREVIOUS (draining). */
  count: number;
  draining: boolean;
  stub: ReturnType<typeof flushQueueNamed>;
}

/**
 * Every flush queue that may hold rows: the current count's shards, then those of each count listed in
 * FLUSH_SHARDS_PREVIOUS (rows queued before FLUSH_SHARDS changed wait there until flushed). Health, alert
 * gauges and parent deletion look at all of them.
 */
export function allFlushQueues(env: Env): FlushQueueRef[] {
  const s = settings(env);
  const counts = [s.FLUSH_SHARDS, ...s.FLUSH_SHARDS_PREVIOUS];
  return counts.flatMap((count, k) =>
    Array.from({ length: count }, (_, shard) => ({ shard, count, draining: k > 0, stub: flushQueueNamed(env, shard, count) })),
  );
}

/** The queues of the counts in FLUSH_SHARDS_PREVIOUS only. */
export function previousFlushQueues(env: Env): FlushQueueRef[] {
  return allFlushQueues(env).filter((q) => q.draining);
}

/** FlushMonitor: one per deployment. */
export function monitorFor(env: Env) {
  return env.FLUSH_MONITOR.get(env.FLUSH_MONITOR.idFromName('global'));
}

const LIMITER_SHARDS = 16;

function limiterShard(env: Env, index: number) {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`limiter:${index}`));
}

/** RateLimiter shard for a key. */
export function limiterFor(env: Env, key: string) {
  return limiterShard(env, fnv1a(key) % LIMITER_SHARDS);
}

/** The shard holding a network's sign-in keys (its own and every (username, network) key). */
export function signInLimiterFor(env: Env, network: string) {
  return limiterFor(env, `sign-in:${network}`);
}

/** Every RateLimiter shard, for the admins' list and clear of throttled sign-ins. */
export function allLimiters(env: Env) {
  return Array.from({ length: LIMITER_SHARDS }, (_, i) => limiterShard(env, i));
}

/** SessionRevocations: one per deployment. */
export function revocationsFor(env: Env) {
  return env.SESSION_REVOCATIONS.get(env.SESSION_REVOCATIONS.idFromName('global'));
}

/** A PgReader picked at random among READ_SHARDS. */
export function readerFor(env: Env) {
  const shards = settings(env).READ_SHARDS;
  return env.READERS.get(env.READERS.idFromName(`reader:${Math.floor(Math.random() * shards)}`));
}

/** MetricsStore: one per deployment (metrics per minute, alert rules and their deliveries). */
export function metricsStore(env: Env) {
  return env.METRICS.get(env.METRICS.idFromName('metrics'));
}

/** Where countMetric/observeMetric of a Worker request or an object flush to: the MetricsStore above. */
export function metricsSink(env: Env, waitUntil: (p: Promise<unknown>) => void): MetricsSink {
  return { env, store: () => metricsStore(env), waitUntil };
}
