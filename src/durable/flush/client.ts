import { settings } from '../../config/settings';
import { fnv1a } from '../registry/shard';
import type { FlushQueue } from './flush-queue';

export function flushShardCount(env: Env): number {
  return settings(env).FLUSH_SHARDS;
}

/** The queue shard for a key: a child QR for link changes and scans, a parent QR for snapshots. */
export function flushQueueFor(env: Env, key: string): DurableObjectStub<FlushQueue> {
  return flushQueueShard(env, fnv1a(key) % flushShardCount(env));
}

export function flushQueueShard(env: Env, shard: number): DurableObjectStub<FlushQueue> {
  return env.FLUSH_QUEUE.get(env.FLUSH_QUEUE.idFromName(`flush:${shard}/${flushShardCount(env)}`));
}
