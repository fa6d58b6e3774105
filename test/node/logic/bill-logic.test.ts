import { describe, expect, it } from 'vitest';
import { createBillBodySchema, normalizeBillNo, weighBillBodySchema } from '../../../src/shared/bill';
import { AppError } from '../../../src/shared/errors';
import {
  applyAdd,
  applyFinalize,
  applyParentFacts,
  applyRemove,
  applyReopen,
  applyWeigh,
  billStatus,
  billTotals,
  decideAdd,
  decideFinalize,
  decideRemove,
  decideReopen,
  newBillState,
  toBillView,
  type BillState,
} from '../../../src/durable/bill/bill-logic';
import {
  applyClaimBill,
  applyReleaseBill,
  applySyncBill,
  decideClaimBill,
  decideScan,
  decideUnlink,
  newSessionState,
} from '../../../src/durable/parent/parent-logic';
import type { SessionUser } from '../../../src/shared/types';

const biller: SessionUser = { id: 7, username: 'bill', role: 'biller', areaId: null };
const admin: SessionUser = { id: 1, username: 'ada', role: 'admin', areaId: null };

function bill(capacity = 2): BillState {
  return newBillState({ billNo: 'B-1', destination: 'Delhi', vehicleNo: 'UP32 AB 1234', description: null, capacity }, biller, 1000);
}

function add(state: BillState, qr: string, children = 30) {
  const d = decideAdd(state, qr);
  expect(d.kind).toBe('claim');
  return applyAdd(state, d.qr, biller, { childCount: children }, 2000);
}

function codeOf(x: unknown): string | undefined {
  return x instanceof AppError ? x.code : undefined;
}

describe('bill numbers and input', () => {
  it('normalizes bill numbers and validates the create body', () => {
    expect(normalizeBillNo('  b-17 ')).toBe('B-17');
    const good = createBillBodySchema.parse({ billNo: ' b-17 ', destination: ' Delhi ', vehicleNo: 'UP32', capacity: 50 });
    expect(good).toMatchObject({ billNo: 'B-17', destination: 'Delhi', capacity: 50 });
    for (const bad of [
      { billNo: 'B 1', destination: 'D', vehicleNo: 'V', capacity: 1 },
      { billNo: 'B1', destination: '', vehicleNo: 'V', capacity: 1 },
      { billNo: 'B1', destination: 'D', vehicleNo: 'V', capacity: 0 },
      { billNo: 'B1', destination: 'D', vehicleNo: 'V', capacity: 51 },
      { billNo: 'B1', destination: 'D', vehicleNo: 'V', capacity: 2.5 },
      { billNo: 'B1', destination: 'D', capacity: 3 },
      { billNo: 'B1', destination: 'D', vehicleNo: 'V', capacity: 3, extra: 1 },
    ]) {
      expect(createBillBodySchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('adding parents', () => {
  it('normalizes, adds, then calls a repeat a duplicate', () => {
    const s = bill();
    expect(decideAdd(s, ' sb00001 ')).toEqual({ kind: 'claim', qr: 'SB00001' });
    add(s, 'SB00001');
    expect(decideAdd(s, 'sb00001')).toEqual({ kind: 'duplicate', qr: 'SB00001' });
  });

  it('rejects child labels and malformed QRs as INVALID_QR', () => {
    const s = bill();
    const child = decideAdd(s, 'ABCD1234');
    expect(child.kind === 'reject' && child.error.code).toBe('INVALID_QR');
    expect(child.kind === 'reject' && child.error.message).toMatch(/child bag/);
    const junk = decideAdd(s, 'SB12');
    expect(junk.kind === 'reject' && junk.error.code).toBe('INVALID_QR');
  });

  it('refuses BILL_FULL at capacity and derives the status', () => {
    const s = bill(2);
    expect(billStatus(s)).toBe('empty');
    add(s, 'SB00001');
    expect(billStatus(s)).toBe('in_progress');
    add(s, 'SB00002');
    expect(billStatus(s)).toBe('completed');
    const full = decideAdd(s, 'SB00003');
    expect(full.kind === 'reject' && full.error.code).toBe('BILL_FULL');
    // A parent already on it is still a duplicate, not "full".
    expect(decideAdd(s, 'SB00002').kind).toBe('duplicate');
  });

  it('refuses BILL_FINALIZED on a finalized bill', () => {
    const s = bill(5);
    add(s, 'SB00001');
    applyFinalize(s, biller, new Map(), 3000);
    const d = decideAdd(s, 'SB00002');
    expect(d.kind === 'reject' && d.error.code).toBe('BILL_FINALIZED');
    expect(decideAdd(s, 'SB00001').kind).toBe('duplicate');
  });
});

describe('removing, finalizing, reopening', () => {
  it('removes from an open bill only, and says when the parent is not on it', () => {
    const s = bill(3);
    add(s, 'SB00001');
    expect(codeOf(decideRemove(s, 'SB00009'))).toBe('NOT_FOUND');
    expect(codeOf(decideRemove(s, 'nonsense'))).toBe('INVALID_QR');
    const p = decideRemove(s, 'sb00001');
    expect(p).not.toBeInstanceOf(AppError);
    const v = s.version;
    applyRemove(s, p as never, biller, 3000);
    expect(s.parents.size).toBe(0);
    expect(s.version).toBeGreaterThan(v);
    add(s, 'SB00001');
    applyFinalize(s, biller, new Map(), 4000);
    expect(codeOf(decideRemove(s, 'SB00001'))).toBe('BILL_FINALIZED');
  });

  it('finalizes with the counts parents report as they freeze; finalizing again is a no-op', () => {
    const s = bill(3);
    add(s, 'SB00001', 10);
    add(s, 'SB00002', 20);
    expect(decideFinalize(s)).toBeNull();
    applyFinalize(s, biller, new Map([['SB00001', 12]]), 5000);
    expect(s.parents.get('SB00001')!.childCount).toBe(12);
    expect(s.parents.get('SB00002')!.childCount).toBe(20); // unreachable parent keeps its last count
    expect(billStatus(s)).toBe('completed');
    expect(decideFinalize(s)).toBe('noop');
    expect(toBillView(s)).toMatchObject({ finalized: true, finalizedBy: 'bill', status: 'completed' });
  });

  it('does not finalize an empty bill; reopens only a finalized one', () => {
    const s = bill();
    expect(codeOf(decideFinalize(s))).toBe('CONFLICT');
    expect(codeOf(decideReopen(s))).toBe('CONFLICT');
    add(s, 'SB00001');
    applyFinalize(s, biller, new Map(), 5000);
    expect(decideReopen(s)).toBeNull();
    applyReopen(s, admin, 6000);
    expect(s.finalized).toBe(false);
    expect(billStatus(s)).toBe('in_progress');
  });
});

describe('totals and weight', () => {
  it('expects 1 kg per child bag counted, and has no actual weight or variance until weighed', () => {
    expect(billTotals([{ childCount: 30 }, { childCount: 25 }, { childCount: 0 }])).toEqual({
      parentCount: 3,
      childCount: 55,
      actualWeightKg: null,
      expectedWeightKg: 55,
      varianceKg: null,
    });
    expect(billTotals([])).toEqual({ parentCount: 0, childCount: 0, actualWeightKg: null, expectedWeightKg: 0, varianceKg: null });
    expect(billTotals([{ childCount: 30 }, { childCount: 28 }], { kg: 60.3 })).toMatchObject({ actualWeightKg: 60.3, expectedWeightKg: 58, varianceKg: 2.3 });
    const s = bill(3);
    add(s, 'SB00001', 30);
    add(s, 'SB00002', 28);
    expect(toBillView(s)).toMatchObject({ parentCount: 2, childCount: 58, actualWeightKg: null, expectedWeightKg: 58, varianceKg: null, weightSource: null });
  });

  it('records a weight (also on a finalized bill), says who and how, clears it, and ignores a repeat', () => {
    const s = bill(3);
    add(s, 'SB00001', 30);
    applyFinalize(s, biller, new Map(), 3000);
    const v = s.version;
    const e = applyWeigh(s, { kg: 31.5, source: 'weighbridge' }, biller, 4000);
    expect(e).toMatchObject({ type: 'weighed', byName: 'bill', weight: { kg: 31.5, source: 'weighbridge' } });
    expect(s.version).toBe(v + 1);
    expect(toBillView(s)).toMatchObject({ actualWeightKg: 31.5, expectedWeightKg: 30, varianceKg: 1.5, weightSource: 'weighbridge', weighedBy: 'bill', weighedAt: new Date(4000).toISOString() });
    expect(applyWeigh(s, { kg: 31.5, source: 'weighbridge' }, admin, 5000)).toBeNull();
    expect(applyWeigh(s, null, admin, 6000)).toMatchObject({ weight: null });
    expect(toBillView(s)).toMatchObject({ actualWeightKg: null, varianceKg: null, weighedBy: null });
    expect(applyWeigh(s, null, admin, 7000)).toBeNull();
  });

  it('validates the weight body: kilograms from 0 to 100,000, kept to 10 g, null clears', () => {
    expect(weighBillBodySchema.parse({ actualWeightKg: 612.345 })).toEqual({ actualWeightKg: 612.35, weightSource: 'manual' });
    expect(weighBillBodySchema.parse({ actualWeightKg: null, weightSource: 'weighbridge' })).toEqual({ actualWeightKg: null, weightSource: 'weighbridge' });
    for (const bad of [{ actualWeightKg: -1 }, { actualWeightKg: 100_001 }, { actualWeightKg: '600' }, {}, { actualWeightKg: 1, weightSource: 'guess' }, { actualWeightKg: 1, x: 1 }]) {
      expect(weighBillBodySchema.safeParse(bad).success).toBe(false);
    }
  });

  it('keeps what a parent says about itself: count, state, capacity, area', () => {
    const s = bill(3);
    applyAdd(s, 'SB00009', biller, { childCount: 12, status: 'open', capacity: 30, areaId: 4 }, 2000);
    const p = s.parents.get('SB00009')!;
    expect(toBillView(s).parents[0]).toMatchObject({ qr: 'SB00009', childCount: 12, status: 'open', capacity: 30, areaId: 4 });
    expect(applyParentFacts(p, { childCount: 12, status: 'open' })).toBe(false);
    expect(applyParentFacts(p, { childCount: 30, status: 'completed' })).toBe(true);
    expect(p).toMatchObject({ childCount: 30, status: 'completed', areaId: 4 });
  });
});

describe('a parent decides its bill', () => {
  const dispatcher: SessionUser = { id: 2, username: 'dee', role: 'dispatcher', areaId: 1 };
  const parent = () => newSessionState('SB00001', 1, 30, dispatcher, 0);

  it('lets one bill take it; another gets PARENT_ON_OTHER_BILL naming the first', () => {
    const p = parent();
    expect(decideClaimBill(p, 'A')).toBeNull();
    applyClaimBill(p, 'A', 5);
    expect(decideClaimBill(p, 'A')).toBeNull();
    const other = decideClaimBill(p, 'B');
    expect(other?.code).toBe('PARENT_ON_OTHER_BILL');
    expect(other?.details).toMatchObject({ billNo: 'A' });
  });

  it('ignores releases and syncs from another bill or older than the last applied call', () => {
    const p = parent();
    applyClaimBill(p, 'A', 5);
    expect(applyReleaseBill(p, 'B', 100)).toBe(false);
    expect(applySyncBill(p, 'B', true, 100)).toBe(false);
    expect(applyReleaseBill(p, 'A', 4)).toBe(false); // a late release from before this claim
    expect(p.billNo).toBe('A');
    expect(applySyncBill(p, 'A', true, 7)).toBe(true);
    expect(applySyncBill(p, 'A', false, 6)).toBe(false); // an older thaw arriving late
    expect(p.billFinalized).toBe(true);
    expect(applyReleaseBill(p, 'A', 8)).toBe(true);
    expect(p.billNo).toBeNull();
    expect(p.billFinalized).toBe(false);
    // Free again: another bill's first call counts from its own versions.
    expect(decideClaimBill(p, 'B')).toBeNull();
    applyClaimBill(p, 'B', 2);
    expect(applyReleaseBill(p, 'B', 3)).toBe(true);
  });

  it('a parent on a finalized bill refuses new children and unlinks, but repeats stay duplicates', () => {
    const p = parent();
    p.children.set('KID1', { qr: 'KID1', linkedAt: 0, byId: 2, byName: 'dee', scanId: 's1' });
    applyClaimBill(p, 'A', 1);
    applySyncBill(p, 'A', true, 2);
    const scan = decideScan(p, 'KID2');
    expect(scan.kind === 'reject' && scan.error.code).toBe('PARENT_ON_FINALIZED_BILL');
    expect(decideScan(p, 'KID1').kind).toBe('duplicate');
    expect(codeOf(decideUnlink(p, 'KID1'))).toBe('PARENT_ON_FINALIZED_BILL');
    applySyncBill(p, 'A', false, 3);
    expect(decideScan(p, 'KID2').kind).toBe('claim');
  });
});
