// The restore drill's comparison: it must notice every way a restore can go wrong (a parent losing or gaining
// a child, a child whose lookup names another parent, a bill losing a parent, a count moving), and nothing
// when the two reads agree, whatever order the API listed things in.
import { describe, expect, it } from 'vitest';
import { differences, inParallel, type Snapshot } from '../../../scripts/dr/snapshot';

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
});
