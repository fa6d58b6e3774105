// The pure rules of a return ticket (issue 13) and of a parent's return, without workerd.
import { describe, expect, it } from 'vitest';
import { applyClose, applyScan, decideClose, decideScan, newTicketState, scanOutcome, toTicketView } from '../../../src/durable/returns/return-logic';
import { applyClaimBill, applyReturn, decideReturn, newSessionState } from '../../../src/durable/parent/parent-logic';
import { applyReturned, newBillState, returnedSince, toBillView } from '../../../src/durable/bill/bill-logic';
import { isReturnCode, makeReturnCode } from '../../../src/shared/returns';
import type { SessionUser } from '../../../src/shared/types';

const biller: SessionUser = { id: 3, username: 'biller', role: 'biller', areaId: null };

describe('return codes', () => {
  it('are RTN-<local date>-<4 hex>, dated in the deployment time zone', () => {
    // 2026-12-02 20:00 UTC is already 2026-12-03 in Kolkata.
    const code = makeReturnCode(Date.UTC(2026, 11, 2, 20, 0), 'Asia/Kolkata', () => 0.2934);
    expect(code).toBe('RTN-20261203-4B1C');
    expect(isReturnCode(code)).toBe(true);
    expect(makeReturnCode(Date.UTC(2026, 11, 2, 20, 0), 'UTC', () => 0)).toBe('RTN-20261202-0000');
    expect(isReturnCode('RTN-2026123-0000')).toBe(false);
  });
});

describe('a ticket', () => {
  const parent = (qr: string, childCount: number) => ({ qr, billNo: 'B-1', billFinalized: false, childCount, areaId: 1, returnedAt: 1, byId: 3, byName: 'biller' });

  it('takes parents while open, calls a repeat a duplicate and totals children and weight', () => {
    const state = newTicketState({ code: 'RTN-20261203-0001', areaId: 1, notes: null }, biller, 0);
    expect(decideScan(state, ' sb00001 ')).toEqual({ kind: 'take', qr: 'SB00001' });
    expect(decideScan(state, 'CHILD01').kind).toBe('reject');
    // A child label is refused in the ticket's words, not a bill's.
    const child = decideScan(state, 'CB12345');
    expect(child.kind === 'reject' && child.error.message).toBe('"CB12345" is a child bag label; return tickets take parent bags (SB followed by 5 digits, e.g. SB00860).');
    applyScan(state, parent('SB00001', 3));
    applyScan(state, parent('SB00002', 2));
    expect(decideScan(state, 'SB00001')).toEqual({ kind: 'duplicate', qr: 'SB00001' });
    expect(scanOutcome(state, 'returned', 'SB00002')).toEqual({ result: 'returned', parentQr: 'SB00002', billNo: 'B-1', parentChildCount: 2, parentCount: 2, childCount: 5, weightKg: 5 });
  });

  it('finalizes only with parents, cancels when open, and refuses the other close after one', () => {
    const state = newTicketState({ code: 'RTN-20261203-0002', areaId: 1, notes: 'x' }, biller, 0);
    expect(decideClose(state, 'finalized')).toMatchObject({ code: 'CONFLICT' });
    expect(decideClose(state, 'cancelled')).toBeNull();
    applyClose(state, 'cancelled', biller, 10);
    expect(decideClose(state, 'cancelled')).toBe('noop');
    expect(decideClose(state, 'finalized')).toMatchObject({ code: 'RETURN_CLOSED' });
    expect(decideScan(state, 'SB00003')).toMatchObject({ kind: 'reject', error: { code: 'RETURN_CLOSED' } });
    expect(toTicketView(state)).toMatchObject({ status: 'cancelled', cancelledBy: 'biller', finalizedAt: null });
  });
});

describe('a parent being returned', () => {
  it('leaves its bill (finalized too), answers a retry of the same ticket alike, and refuses others', () => {
    const state = newSessionState('SB00010', 1, 30, biller, 0);
    expect(decideReturn(state, 'RTN-A')).toMatchObject({ kind: 'reject', error: { code: 'PARENT_NOT_ON_BILL' } });
    applyClaimBill(state, 'B-1', 5);
    state.billFinalized = true;
    expect(decideReturn(state, 'RTN-A')).toEqual({ kind: 'return' });
    const returned = applyReturn(state, 'RTN-A', 100);
    expect(returned).toMatchObject({ ticketCode: 'RTN-A', billNo: 'B-1', billFinalized: true, billVersion: 5, childCount: 0 });
    expect(state).toMatchObject({ billNo: null, billFinalized: false });
    expect(decideReturn(state, 'RTN-A')).toEqual({ kind: 'again', returned });
    expect(decideReturn(state, 'RTN-B')).toMatchObject({ kind: 'reject', error: { code: 'PARENT_ALREADY_RETURNED', details: { ticketCode: 'RTN-A' } } });
    // On a new bill, it can be returned again.
    applyClaimBill(state, 'B-2', 1);
    expect(state.returned).toBeNull();
    expect(decideReturn(state, 'RTN-B')).toEqual({ kind: 'return' });
  });
});

describe('a bill told of a return', () => {
  it('drops the parent, keeps a returned line once, and knows a claim it made was overtaken', () => {
    const bill = newBillState({ billNo: 'B-9', destination: 'D', vehicleNo: 'V', description: null, capacity: 2 }, biller, 0);
    bill.parents.set('SB00020', { qr: 'SB00020', addedAt: 0, byId: 3, byName: 'biller', childCount: 4 });
    bill.finalized = true;
    const line = { qr: 'SB00020', ticketCode: 'RTN-A', at: 50, childCount: 4, byId: 3, byName: 'biller', billVersion: 7 };
    expect(applyReturned(bill, line)).toMatchObject({ type: 'returned' });
    expect(applyReturned(bill, line)).toBeNull();
    const view = toBillView(bill);
    expect(view).toMatchObject({ finalized: true, parentCount: 0, returned: [{ qr: 'SB00020', ticketCode: 'RTN-A', childCount: 4 }] });
    expect(returnedSince(bill, 'SB00020', 7)).toBe(true);
    expect(returnedSince(bill, 'SB00020', 8)).toBe(false);
  });
});
