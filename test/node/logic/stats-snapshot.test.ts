// The dashboard's snapshot (src/worker/read/stats-snapshot.ts): fresh answers from memory, stale ones served
// while one background refresh runs, and a fresh read when nothing usable is held.
import { describe, expect, it } from 'vitest';
import { MAX_STALE_MS, SNAPSHOT_MS, StatsSnapshots, wantsFresh } from '../../../src/worker/read/stats-snapshot';
import type { Stats } from '../../../src/worker/read/stats';

const figures = (parents: number) => ({ parents }) as unknown as Stats;

describe('stats snapshot', () => {
  it('reads once per second per key under load, serving the snapshot meanwhile', async () => {
    let now = 1_000_000;
    const snapshots = new StatsSnapshots(() => now);
    let loads = 0;
    const background: Promise<unknown>[] = [];
    // Each read waits for `release` (a database round trip), so a background refresh is still running below.
    let release: () => void = () => undefined;
    const load = async () => {
      const n = ++loads;
      await new Promise<void>((r) => (release = r));
      return figures(n);
    };
    const settle = async <T>(p: Promise<T>): Promise<T> => {
      await Promise.resolve();
      release();
      return p;
    };
    const get = (key = 'day|all') => snapshots.get(key, load, (p) => background.push(p));

    expect((await settle(get())).parents).toBe(1); // nothing held: read now
    now += SNAPSHOT_MS - 1;
    expect((await get()).parents).toBe(1); // fresh: no read
    expect(loads).toBe(1);

    now += 2; // stale: served as is, one refresh in the background (not two for two requests)
    expect((await get()).parents).toBe(1);
    expect((await get()).parents).toBe(1);
    expect(background).toHaveLength(1);
    release();
    await Promise.all(background);
    expect((await get()).parents).toBe(2);

    expect((await settle(get('day|area:3'))).parents).toBe(3); // another scope has its own snapshot
    now += MAX_STALE_MS + 1; // too old to serve: read first
    expect((await settle(get())).parents).toBe(4);
  });

  it('keeps the snapshot when a background refresh fails, and tries again on the next request', async () => {
    let now = 0;
    const snapshots = new StatsSnapshots(() => now);
    const background: Promise<unknown>[] = [];
    await snapshots.get('k', async () => figures(1), () => undefined);
    now = SNAPSHOT_MS + 1;
    const failing = async (): Promise<Stats> => {
      throw new Error('database away');
    };
    expect((await snapshots.get('k', failing, (p) => background.push(p))).parents).toBe(1);
    await Promise.all(background);
    expect((await snapshots.get('k', async () => figures(2), (p) => background.push(p))).parents).toBe(1);
    await Promise.all(background);
    expect((await snapshots.get('k', async () => figures(3), () => undefined)).parents).toBe(2);
  });
});

describe('stats snapshot: fresh reads (the live board after a push)', () => {
  it('reads now when asked, and its answer replaces the snapshot for everyone after it', async () => {
    let now = 0;
    const snapshots = new StatsSnapshots(() => now);
    let n = 0;
    const load = async () => figures(++n);
    expect((await snapshots.get('k', load, () => undefined)).parents).toBe(1);
    now += 10; // well inside the second: a plain read is the snapshot, a fresh one reads
    expect((await snapshots.get('k', load, () => undefined)).parents).toBe(1);
    expect((await snapshots.get('k', load, () => undefined, true)).parents).toBe(2);
    expect((await snapshots.get('k', load, () => undefined)).parents).toBe(2);
    expect(n).toBe(2);
  });

  it('never lets a slower background refresh that started earlier put older figures back', async () => {
    let now = 0;
    const snapshots = new StatsSnapshots(() => now);
    const background: Promise<unknown>[] = [];
    await snapshots.get('k', async () => figures(1), () => undefined);
    now = SNAPSHOT_MS + 1;
    // A stale read starts a background refresh that is still running when the fresh read lands.
    let releaseOld: () => void = () => undefined;
    const slow = () => new Promise<Stats>((r) => (releaseOld = () => r(figures(2))));
    expect((await snapshots.get('k', slow, (p) => background.push(p))).parents).toBe(1);
    now += 5;
    expect((await snapshots.get('k', async () => figures(3), () => undefined, true)).parents).toBe(3);
    releaseOld();
    await Promise.all(background);
    expect((await snapshots.get('k', async () => figures(4), () => undefined)).parents).toBe(3);
  });

  it('takes Cache-Control no-cache, no-store and max-age=0 as a wish for fresh figures', () => {
    expect(wantsFresh('no-cache')).toBe(true);
    expect(wantsFresh('max-age=0')).toBe(true);
    expect(wantsFresh('private, No-Store')).toBe(true);
    expect(wantsFresh(undefined)).toBe(false);
    expect(wantsFresh('max-age=60')).toBe(false);
    expect(wantsFresh('max-age=0123')).toBe(false);
  });
});
