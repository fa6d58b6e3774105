// The arithmetic of bench:capacity's model (scripts/bench/capacity-model.ts), with the product's default settings.
import { describe, expect, it } from 'vitest';
import { capacity, expectedDistinctShards, SOFT_LIMIT_PER_OBJECT, type ModelSettings } from '../../../scripts/bench/capacity-model';

const defaults: ModelSettings = {
  registryShards: 128,
  flushShards: 8,
  parentFlushDelayMs: 100,
  flushDelayMs: 250,
  parentCapacity: 30,
  revocationRefreshSeconds: 30,
  statementsPerFlush: 5,
  boardPushIntervalMs: 100,
  boardBroadcastMs: 25,
  counterSlots: 16,
};

const kind = (m: ReturnType<typeof capacity>, prefix: string) => m.kinds.find((k) => k.kind.startsWith(prefix))!;

describe('capacity model', () => {
  it('counts distinct shards hit by a push: one key hits one shard, many keys approach every shard', () => {
    expect(expectedDistinctShards(1, 8)).toBeCloseTo(1);
    expect(expectedDistinctShards(2, 8)).toBeCloseTo(1.875);
    expect(expectedDistinctShards(10_000, 8)).toBeCloseTo(8);
    expect(expectedDistinctShards(5, 1)).toBe(1);
  });

  it('sizes 10,000 scanners at 1 scan/s: flush shards ~1,250/s each (snapshot rides with the rows), area boards at 1,000/s', () => {
    const m = capacity({ scanners: 10_000, rate: 1, areas: 10 }, defaults);
    expect(m.scansPerSecond).toBe(10_000);
    expect(kind(m, 'parent').objects).toBe(10_000);
    expect(kind(m, 'parent').perObject).toBe(2); // a scan and its outbox push
    expect(kind(m, 'registry').perObject).toBeCloseTo((10_000 + 10_000 / 30) / 128);
    // 10,000 pushes/s × 1 shard each ÷ 8 + 4 alarms/s
    expect(kind(m, 'flush shard').perObject).toBeCloseTo(1_254);
    // Area boards: still one update per scan (1 scan/s per parent is under the 100 ms cap), but 40 broadcasts
    // a second (one per 25 ms window), each carrying the ~25 parents changed in it.
    expect(kind(m, 'area board').perObject).toBe(1000);
    expect(m.areaBoard).toEqual({ updatesPerSecond: 1000, broadcastsPerSecond: 40, summariesPerBroadcast: 25 });
    expect(kind(m, 'all-areas').perObject).toBe(10);
    expect(m.overLimit).toEqual(expect.arrayContaining(['flush shard (FlushQueue)', 'area board (LiveBoard)']));
    expect(m.overLimit).not.toContain('registry shard (QrRegistry)');
    // 8 shards × 4 transactions/s; each shard has its own counter slot, so a hot counter row sees 4 updates/s.
    expect(m.postgres).toEqual({ transactionsPerSecond: 32, statementsPerSecond: 160, rowsPerSecond: 30_000, linksPerSecond: 10_000, hotCounterRowUpdatesPerSecond: 4 });
  });

  it('keeps 100 scanners (the load model) far under the limit for every sharded kind', () => {
    const m = capacity({ scanners: 100, rate: 1, areas: 10 }, defaults);
    for (const k of m.kinds.filter((k) => !k.kind.includes('worst case'))) expect(k.perObject).toBeLessThan(SOFT_LIMIT_PER_OBJECT / 10);
    expect(m.overLimit).toEqual([]);
  });

  it('shards scale the per-object rate down: 32 flush shards bring 10,000 scanners under the limit', () => {
    const m = capacity({ scanners: 10_000, rate: 1, areas: 10 }, { ...defaults, flushShards: 32 });
    expect(kind(m, 'flush shard').perObject).toBeLessThan(SOFT_LIMIT_PER_OBJECT);
    expect(m.postgres.transactionsPerSecond).toBe(128);
    // 32 shards over 16 counter slots: two shards share each hot counter row (8 updates/s), not all 32 (128/s).
    expect(m.postgres.hotCounterRowUpdatesPerSecond).toBe(8);
    expect(capacity({ scanners: 10_000, rate: 1, areas: 10 }, { ...defaults, flushShards: 32, counterSlots: 1 }).postgres.hotCounterRowUpdatesPerSecond).toBe(128);
  });

  it('the check run (1,000 × 0.1/s over 50 areas) is the load model rate with ten times the parents', () => {
    const small = capacity({ scanners: 100, rate: 1, areas: 1 }, defaults);
    const large = capacity({ scanners: 1000, rate: 0.1, areas: 50 }, defaults);
    expect(large.scansPerSecond).toBeCloseTo(small.scansPerSecond);
    expect(kind(large, 'parent').objects).toBe(10 * kind(small, 'parent').objects);
    expect(kind(large, 'registry').perObject).toBeCloseTo(kind(small, 'registry').perObject);
    expect(kind(large, 'area board').perObject).toBeCloseTo(2); // 20 parents × 0.1/s
  });

  it("caps a parent's board updates at 1000 / BOARD_PUSH_INTERVAL_MS per second, and a board's broadcasts at 1000 / BOARD_BROADCAST_MS", () => {
    // A fast parent (20 scans/s) sends ten updates a second; a quiet board broadcasts every update.
    const fast = capacity({ scanners: 10, rate: 20, areas: 1 }, { ...defaults, boardBroadcastMs: 100 });
    expect(kind(fast, 'area board').perObject).toBe(100);
    expect(fast.areaBoard.broadcastsPerSecond).toBe(10);
    const quiet = capacity({ scanners: 5, rate: 1, areas: 1 }, defaults);
    expect(quiet.areaBoard).toEqual({ updatesPerSecond: 5, broadcastsPerSecond: 5, summariesPerBroadcast: 1 });
    // Without the caps: every scan is an update and a broadcast.
    const uncapped = capacity({ scanners: 10, rate: 20, areas: 1 }, { ...defaults, boardPushIntervalMs: 0, boardBroadcastMs: 0 });
    expect(uncapped.areaBoard).toEqual({ updatesPerSecond: 200, broadcastsPerSecond: 200, summariesPerBroadcast: 1 });
  });

  it('multiplies measured CPU per operation by the operations per second', () => {
    const m = capacity({ scanners: 1000, rate: 1, areas: 10 }, defaults, { claimMs: 0.5, boardUpdateMs: 0.2, flushRowMs: 0.1, scanInParentMs: 1 });
    expect(kind(m, 'parent').cpuMsPerSecond).toBeCloseTo(1);
    expect(kind(m, 'registry').cpuMsPerSecond).toBeCloseTo(0.5 * kind(m, 'registry').perObject);
    expect(kind(m, 'area board').cpuMsPerSecond).toBeCloseTo(20);
    expect(kind(m, 'flush shard').cpuMsPerSecond).toBeCloseTo((0.1 * 3000) / 8);
    expect(kind(m, 'MetricsStore').cpuMsPerSecond).toBeNull();
    expect(m.overCpu).toEqual([]);
    // At 10,000 scanners a flush shard's rows alone need more than one core at 0.1 ms a row.
    const big = capacity({ scanners: 10_000, rate: 1, areas: 10 }, defaults, { flushRowMs: 0.3 });
    expect(big.overCpu).toEqual(['flush shard (FlushQueue)']);
  });
});
