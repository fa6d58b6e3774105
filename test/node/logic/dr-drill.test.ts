// The restore drill's comparison: it must notice every way a restore can go wrong (a parent losing or gaining
// a child, a child whose lookup names another parent, a bill losing a parent, a count moving), and nothing
// when the two reads agree, whatever order the API listed things in.
import { describe, expect, it } from 'vitest';
import { printReport } from '../../../scripts/dr-drill';
import type { DrillReport } from '../../../scripts/dr/drill';
import { differences, inParallel, sampleKeys, type Api, type Snapshot } from '../../../scripts/dr/snapshot';

const before: Snapshot = {
  counts: { parents: 2, children: 3 },
  parents: [
    { qr: 'SB00001', status: 'completed', childCount: 2, children: ['C0001', 'C0002'], billNo: 'B-1' },
    { qr: 'SB00002', status: 'open', childCount: 1, children: ['C0003'], billNo: null },
  ],
  childLookups: { C0001: 'SB00001', C0003: 'SB00002' },
  bills: [{ billNo: 'B-1', status: 'in_progress', parentCount: 1, childCount: 2, parents: ['SB00001'] }],
};
const copy = (): Snapshot => JSON.parse(JSON.stringify(before));

describe('restore drill comparison', () => {
  it('finds nothing when the restore kept everything, in any list order', () => {
    const after = copy();
    after.parents.reverse();
    expect(differences(before, after)).toEqual([]);
  });

  it('names each difference', () => {
    const after = copy();
    after.counts.children = 2;
    after.parents[0]!.children = ['C0001'];
    after.parents[0]!.childCount = 1;
    after.parents.pop();
    after.childLookups.C0001 = null;
    after.bills[0]!.parents = [];
    expect(differences(before, after)).toEqual([
      'child count 3 → 2',
      expect.stringMatching(/^parent SB00001: /),
      'parent SB00002 missing',
      'lookup of C0001: parent SB00001 → none',
      expect.stringMatching(/^bill B-1: /),
    ]);
    after.bills = [];
    expect(differences(before, after)).toContain('bill B-1 missing');
  });

  it('runs calls with a bounded number in flight and keeps the order of the answers', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await inParallel([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('says what it checked and splits the RTO', () => {
    const report: DrillReport = {
      ok: true,
      counts: { parents: 60000, children: 1801200 },
      sampled: { parents: 300, children: 300, bills: 50 },
      childrenInSampledParents: 9000,
      retries: { before: 0, after: 2 },
      atRisk: { backlog: 0, oldestUnflushedSeconds: 0 },
      registryQrs: 1861200,
      oneParentRule: 'CB1 (in SB1) refused by SB2 with CHILD_IN_OTHER_PARENT',
      differences: [],
      ms: { snapshot: 5000, start: 20000, rebuild: 300000, verify: 60000, rto: 380000 },
    };
    const lines: string[] = [];
    printReport(report, (l) => lines.push(l));
    const text = lines.join('\n');
    expect(text).toContain('Restore drill: PASSED');
    expect(text).toContain('checked (a sample, not everything): the counters, 300 parents (spread over time) with their 9000 children, 300 child lookups, 50 bills');
    expect(text).toContain('RTO 380.0 s = start with empty objects 20.0 s + registry rebuild 300.0 s + verification 60.0 s');
    expect(text).toContain('snapshot of the running deployment 5.0 s');
    expect(text).toContain('reads answered 503 and asked again: 0 before, 2 after the restore');
  });

  it('samples parents spread over time with a few list pages, and a small data set whole', async () => {
    const now = new Date('2026-12-04T00:00:00Z');
    // 2,000 parents, one every 6 hours back from now (500 days), newest first like the API.
    const all = Array.from({ length: 2000 }, (_, i) => ({ qr: `SB${String(i).padStart(5, '0')}`, at: now.getTime() - i * 6 * 3_600_000 }));
    const calls: string[] = [];
    const fake = (items: typeof all) =>
      ({
        get: async (path: string) => {
          calls.push(path);
          const url = new URL(path, 'http://x');
          if (url.pathname === '/api/bills') return { items: [] };
          const to = url.searchParams.get('to');
          const from = Number(url.searchParams.get('cursor') ?? -1);
          const limit = Number(url.searchParams.get('limit'));
          const rows = items.map((p, i) => ({ ...p, i })).filter((p) => p.i > from && (!to || p.at <= Date.parse(to)));
          const page = rows.slice(0, limit);
          return { items: page.map((p) => ({ qr: p.qr })), nextCursor: rows.length > limit ? String(page[page.length - 1]!.i) : null };
        },
      }) as unknown as Api;
    const keys = await sampleKeys(fake(all), 300, 0, now);
    expect(keys.parents).toHaveLength(300);
    expect(new Set(keys.parents).size).toBe(300);
    const ages = keys.parents.map((qr) => (now.getTime() - all.find((p) => p.qr === qr)!.at) / 86_400_000);
    expect(Math.max(...ages)).toBeGreaterThan(365); // the oldest slice reached
    expect(ages.filter((d) => d < 1)).toHaveLength(4); // only 4 parents are younger than a day
    expect(calls.length).toBeLessThan(20);

    // Data of 60 days only (the 90- and 365-day slices are empty): the sample is still 300 parents.
    const recent = await sampleKeys(fake(all.slice(0, 240)), 300, 0, now);
    expect(recent.parents).toHaveLength(240);
    const sixtyDays = await sampleKeys(fake(all.slice(0, 1000).filter((p) => now.getTime() - p.at < 60 * 86_400_000)), 100, 0, now);
    expect(sixtyDays.parents).toHaveLength(100);
    expect(new Set(sixtyDays.parents).size).toBe(100);

    calls.length = 0;
    const few = await sampleKeys(fake(all.slice(0, 3)), 300, 0, now);
    expect(few.parents).toEqual(['SB00000', 'SB00001', 'SB00002']);
  });
});
