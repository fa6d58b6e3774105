// The capacity model of bench:capacity: for a number of scanners at a scan rate, how many objects of each kind
// are busy and how many requests per second each one gets, against Cloudflare's soft limit of about 1,000
// requests/s per object (../shared/spec/PLATFORM-NOTES.md), and what Postgres is asked to write. Pure arithmetic,
// no I/O: the inputs are the product's settings (read by capacity.ts from src/config/settings.ts and
// src/durable/stubs.ts) and, optionally, the measured CPU per operation, so the arithmetic has its own test
// (test/node/logic/capacity-model.test.ts). Each formula names the code it follows; when that code changes
// (issue 15 point 4: batched board updates, snapshots sent with their rows), change the formula with it.

/** Cloudflare's soft limit per Durable Object (PLATFORM-NOTES.md "Throughput"). */
export const SOFT_LIMIT_PER_OBJECT = 1000;

export interface ModelSettings {
  registryShards: number;
  flushShards: number;
  /** A parent gathers scans this long before pushing its outbox to the flush shards (PARENT_FLUSH_DELAY_MS). */
  parentFlushDelayMs: number;
  /** A flush shard gathers rows this long before one Postgres transaction (FLUSH_DELAY_MS). */
  flushDelayMs: number;
  parentCapacity: number;
  /** How often an isolate re-reads the revocation list (REVOCATION_REFRESH_SECONDS). */
  revocationRefreshSeconds: number;
  /** Postgres statements in one flush transaction with links, scans and parents (buildFlushStatements). */
  statementsPerFlush: number;
  /** A parent pushes to its area's board at most once per this (BOARD_PUSH_INTERVAL_MS; 0: every change). */
  boardPushIntervalMs: number;
  /** A board broadcasts to its watchers at most once per this (BOARD_BROADCAST_MS; 0: every update). */
  boardBroadcastMs: number;
  /**
   * Rows each counter is spread over (COUNTER_SLOTS in db/counter-sql.ts): flush shard i adds to slot
   * i % counterSlots, so a hot counter row (e.g. today's scans) is written by flushShards / counterSlots shards.
   */
  counterSlots: number;
}

export interface Load {
  scanners: number;
  /** Scans per second per scanner (PRODUCT.md's load model: 1). */
  rate: number;
  areas: number;
}

/** Measured CPU milliseconds per operation, by kind (bench:capacity's measurement); optional. */
export interface Costs {
  scanInParentMs?: number;
  claimMs?: number;
  boardUpdateMs?: number;
  flushRowMs?: number;
}

export interface KindRow {
  kind: string;
  objects: number;
  /** Requests per second arriving at one object of this kind. */
  perObject: number;
  /** perObject ÷ the soft limit. */
  ofSoftLimit: number;
  /** CPU milliseconds per second one object spends (when the cost of its operation was measured). */
  cpuMsPerSecond: number | null;
  note: string;
}

export interface CapacityRow {
  load: Load;
  scansPerSecond: number;
  kinds: KindRow[];
  postgres: {
    transactionsPerSecond: number;
    statementsPerSecond: number;
    rowsPerSecond: number;
    linksPerSecond: number;
    /** Transactions per second that update one hot counter row (each holds its lock until it commits). */
    hotCounterRowUpdatesPerSecond: number;
  };
  /** An area board's watcher frames: broadcasts per second, and parents' summaries carried by each. */
  areaBoard: { updatesPerSecond: number; broadcastsPerSecond: number; summariesPerBroadcast: number };
  /** Kinds whose per-object rate reaches the soft limit. */
  overLimit: string[];
  /** Kinds whose measured CPU per object reaches one core (1,000 ms per second): an object runs on one thread. */
  overCpu: string[];
}

/** Expected number of distinct shards hit by `keys` keys spread uniformly over `shards` shards. */
export function expectedDistinctShards(keys: number, shards: number): number {
  if (shards <= 1) return Math.min(1, keys);
  return shards * (1 - (1 - 1 / shards) ** keys);
}

/** `cpuMsPerSecond`: the measured cost of one operation times the operations per second (undefined: not measured). */
const row = (kind: string, objects: number, perObject: number, cpuMsPerSecond: number | undefined, note: string): KindRow => ({
  kind,
  objects,
  perObject,
  ofSoftLimit: perObject / SOFT_LIMIT_PER_OBJECT,
  cpuMsPerSecond: cpuMsPerSecond ?? null,
  note,
});

const times = (cost: number | undefined, perSecond: number) => (cost === undefined ? undefined : cost * perSecond);

export function capacity(load: Load, s: ModelSettings, costs: Costs = {}): CapacityRow {
  const scansPerSecond = load.scanners * load.rate;
  // Every scan is a new child (the load model; a duplicate costs the parent but no claim, no link row).
  // Parents: one open per scanner; a parent pushes its outbox at most once per PARENT_FLUSH_DELAY_MS, from its
  // alarm (parent/flusher.ts), so it gets its scans plus up to one alarm per scan.
  const pushesPerParent = Math.min(load.rate, 1000 / Math.max(1, s.parentFlushDelayMs));
  const parentOpensPerSecond = scansPerSecond / s.parentCapacity;
  // Registry (registry/shard.ts): one claim per new child, one parent-QR check per parent opened.
  const registryPerShard = (scansPerSecond + parentOpensPerSecond) / s.registryShards;
  // Flush shards (parent/flush-groups.ts groupByShard): a push sends its rows grouped by their child QR's shard,
  // one enqueue call per distinct shard, the parent's snapshot riding with the first group; plus the shard's own
  // alarm (one per FLUSH_DELAY_MS while rows wait).
  const scansPerPush = Math.max(1, load.rate / pushesPerParent);
  const enqueuesPerPush = expectedDistinctShards(scansPerPush, s.flushShards);
  const pushesPerSecond = load.scanners * pushesPerParent;
  const flushAlarmsPerShard = 1000 / Math.max(1, s.flushDelayMs);
  const flushPerShard = (pushesPerSecond * enqueuesPerPush) / s.flushShards + flushAlarmsPerShard;
  const rowsPerSecond = scansPerSecond * 2 + pushesPerSecond; // a link change and a scan row per scan, a snapshot per push
  // Area boards (live-board.ts): each parent's board push is coalesced (one in flight) and starts at most once per
  // BOARD_PUSH_INTERVAL_MS (parent-session.ts boardPush), so a parent sends one update per scan up to
  // 1000 / BOARD_PUSH_INTERVAL_MS per second (10/s: the cap only binds above 10 scans/s per parent); the board's
  // broadcasts to its watchers go out at most once per BOARD_BROADCAST_MS, each carrying every parent changed
  // in the window (kit/batch-window.ts). The all-areas board gets one updateMany per area board per second.
  const boardUpdatesPerParent = s.boardPushIntervalMs > 0 ? Math.min(load.rate, 1000 / s.boardPushIntervalMs) : load.rate;
  const boardPerArea = (load.scanners / load.areas) * boardUpdatesPerParent;
  const broadcastsPerArea = s.boardBroadcastMs > 0 ? Math.min(boardPerArea, 1000 / s.boardBroadcastMs) : boardPerArea;
  // Global objects. MetricsStore: every isolate sends its metrics buffer about once a second; locally there is one
  // isolate, in production objects spread over many, at worst one per busy object. SessionRevocations: each
  // isolate re-reads the list every REVOCATION_REFRESH_SECONDS. Both as that worst case (isolate packing unknown).
  const busyObjects = load.scanners + s.registryShards + s.flushShards + load.areas + 1;
  const transactionsPerSecond = s.flushShards * flushAlarmsPerShard;
  const kinds: KindRow[] = [
    row('parent (ParentSession)', load.scanners, load.rate + pushesPerParent, times(costs.scanInParentMs, load.rate), 'one open per scanner: scans + outbox pushes'),
    row('registry shard (QrRegistry)', s.registryShards, registryPerShard, times(costs.claimMs, registryPerShard), 'REGISTRY_SHARDS: a claim per new child'),
    row('flush shard (FlushQueue)', s.flushShards, flushPerShard, times(costs.flushRowMs, rowsPerSecond / s.flushShards), 'FLUSH_SHARDS: an enqueue per distinct shard per push'),
    row('area board (LiveBoard)', load.areas, boardPerArea, times(costs.boardUpdateMs, boardPerArea), 'one per area: an update per parent push (≤ 1 per BOARD_PUSH_INTERVAL_MS per parent)'),
    row('all-areas board (LiveBoard)', 1, load.areas, undefined, 'one updateMany per area board per second'),
    row('MetricsStore (worst case)', 1, busyObjects, undefined, 'one ingest/s per isolate; at worst one isolate per busy object'),
    row('SessionRevocations (worst case)', 1, busyObjects / s.revocationRefreshSeconds, undefined, 'a read per isolate per REVOCATION_REFRESH_SECONDS'),
  ];
  return {
    load,
    scansPerSecond,
    kinds,
    postgres: {
      transactionsPerSecond,
      statementsPerSecond: transactionsPerSecond * s.statementsPerFlush,
      rowsPerSecond,
      linksPerSecond: scansPerSecond,
      // Every flush transaction adds to today's scan counters once (counter-sql.ts: one row per key per
      // statement); shards sharing a slot share those rows.
      hotCounterRowUpdatesPerSecond: transactionsPerSecond / Math.max(1, Math.min(s.flushShards, s.counterSlots)),
    },
    areaBoard: {
      updatesPerSecond: boardPerArea,
      broadcastsPerSecond: broadcastsPerArea,
      summariesPerBroadcast: broadcastsPerArea > 0 ? boardPerArea / broadcastsPerArea : 0,
    },
    overLimit: kinds.filter((k) => k.perObject >= SOFT_LIMIT_PER_OBJECT).map((k) => k.kind),
    overCpu: kinds.filter((k) => (k.cpuMsPerSecond ?? 0) >= 1000).map((k) => k.kind),
  };
}
