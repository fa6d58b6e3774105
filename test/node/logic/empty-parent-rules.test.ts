// The empty-parent cap's rules (src/durable/limiter/empty-parent-rules.ts), used by the EmptyParentLedger.
import { describe, expect, it } from 'vitest';
import { decide, merged, RECENT_MS, REFRESH_MIN_INTERVAL_MS, wantsRefresh } from '../../../src/durable/limiter/empty-parent-rules';

describe('empty-parent rules', () => {
  it('allows a label again that already counts, a new one only below the cap', () => {
    const entries = new Map([['SB00001', 1], ['SB00002', 2]]);
    expect(decide(entries, 'SB00001', 2)).toEqual({ kind: 'held' });
    expect(decide(entries, 'SB00003', 2)).toEqual({ kind: 'full', held: 2 });
    expect(decide(entries, 'SB00003', 3)).toEqual({ kind: 'add' });
  });

  it("re-reading Postgres keeps its list and the recent reserves, and drops old reserves it does not list", () => {
    const now = 10 * RECENT_MS;
    const entries = new Map([
      ['SB00001', now - RECENT_MS - 1], // opened long ago, filled since: Postgres no longer lists it
      ['SB00002', now - 1000], // opened a second ago: maybe not flushed yet
      ['SB00003', 0], // listed by Postgres last time and still
    ]);
    const out = merged(entries, ['SB00003', 'SB00004'], now);
    expect([...out.keys()].sort()).toEqual(['SB00002', 'SB00003', 'SB00004']);
    expect(out.get('SB00002')).toBe(now - 1000);
  });

  it('refreshes in the background from 3/4 of the cap, at most once a minute', () => {
    expect(wantsRefresh(149, 200, 0, REFRESH_MIN_INTERVAL_MS)).toBe(false);
    expect(wantsRefresh(150, 200, 0, REFRESH_MIN_INTERVAL_MS)).toBe(true);
    expect(wantsRefresh(150, 200, 1, REFRESH_MIN_INTERVAL_MS)).toBe(false);
  });
});
