import { describe, expect, it } from 'vitest';
import {
  applyComplete,
  applyLink,
  applyUnlink,
  checkArea,
  decideComplete,
  decideScan,
  decideUndo,
  decideUnlink,
  newSessionState,
  toParentView,
  type ParentState as SessionState,
} from '../../../src/durable/parent/parent-logic';
import type { SessionUser } from '../../../src/shared/types';

const dispatcher: SessionUser = { id: 1, username: 'dee', role: 'dispatcher', areaId: 1 };
const other: SessionUser = { id: 2, username: 'dan', role: 'dispatcher', areaId: 1 };
const supervisor: SessionUser = { id: 3, username: 'sue', role: 'supervisor', areaId: 1 };
const elsewhere: SessionUser = { id: 4, username: 'ed', role: 'supervisor', areaId: 2 };
const admin: SessionUser = { id: 5, username: 'ada', role: 'admin', areaId: null };
const HOUR = 3600_000;

function session(capacity = 3): SessionState {
  return newSessionState('SB00001', 1, capacity, dispatcher, 1000);
}

function link(state: SessionState, qr: string, user = dispatcher, at = 2000) {
  const d = decideScan(state, qr);
  expect(d.kind).toBe('claim');
  return applyLink(state, d.childQr, user, `scan-${qr}`, at);
}

describe('decideScan', () => {
  it('normalizes and claims a new child, then calls it a duplicate', () => {
    const s = session();
    expect(decideScan(s, ' abcd12 ')).toEqual({ kind: 'claim', childQr: 'ABCD12' });
    link(s, 'ABCD12');
    expect(decideScan(s, 'abcd12')).toEqual({ kind: 'duplicate', childQr: 'ABCD12' });
  });

  it('rejects parent labels as role conflicts and malformed QRs with the format', () => {
    const s = session();
    const role = decideScan(s, 'sb12345');
    expect(role.kind === 'reject' && role.error.code).toBe('QR_ROLE_CONFLICT');
    for (const bad of ['ABC', 'A'.repeat(21), 'AB-12', '', '   ']) {
      const d = decideScan(s, bad);
      expect(d.kind === 'reject' && d.error.code).toBe('INVALID_QR');
      expect(d.kind === 'reject' && d.error.message).toContain('4 to 20 letters or digits');
    }
  });

  it('refuses a full parent, and a completed one, but still reports duplicates there', () => {
    const s = session(2);
    link(s, 'AAAA1');
    const events = link(s, 'AAAA2');
    expect(events.map((e) => e.type)).toEqual(['linked', 'completed']);
    expect(s.status).toBe('completed');
    const full = decideScan(s, 'AAAA3');
    expect(full.kind === 'reject' && full.error.code).toBe('PARENT_FULL');
    expect(decideScan(s, 'AAAA1').kind).toBe('duplicate');

    const t = session(5);
    link(t, 'BBBB1');
    applyComplete(t, supervisor, 3000);
    const closed = decideScan(t, 'BBBB2');
    expect(closed.kind === 'reject' && closed.error.code).toBe('PARENT_COMPLETED');
  });

  it('refuses any change on a parent whose bill is finalized', () => {
    const s = session();
    link(s, 'CCCC1');
    s.billNo = 'B-1';
    s.billFinalized = true;
    const d = decideScan(s, 'CCCC2');
    expect(d.kind === 'reject' && d.error.code).toBe('PARENT_ON_FINALIZED_BILL');
    expect(decideUnlink(s, 'CCCC1')).toMatchObject({ code: 'PARENT_ON_FINALIZED_BILL' });
    expect(decideUndo(s, dispatcher, 2500, HOUR)).toMatchObject({ code: 'PARENT_ON_FINALIZED_BILL' });
    expect(decideComplete(s, supervisor)).toMatchObject({ code: 'PARENT_ON_FINALIZED_BILL' });
  });
});

describe('undo', () => {
  it("removes the caller's own last child within the window, not someone else's", () => {
    const s = session(10);
    link(s, 'DDDD1', dispatcher, 2000);
    link(s, 'DDDD2', other, 3000);
    link(s, 'DDDD3', dispatcher, 4000);
    link(s, 'DDDD4', other, 5000);
    const mine = decideUndo(s, dispatcher, 6000, HOUR);
    expect(mine).toMatchObject({ qr: 'DDDD3' });
    expect(decideUndo(s, supervisor, 6000, HOUR)).toMatchObject({ code: 'NOTHING_TO_UNDO' });
    expect(decideUndo(s, dispatcher, 4000 + HOUR + 1, HOUR)).toMatchObject({ code: 'NOTHING_TO_UNDO' });
  });

  it('reopens a parent that was completed when a child leaves', () => {
    const s = session(1);
    link(s, 'EEEE1');
    expect(s.status).toBe('completed');
    const child = decideUndo(s, dispatcher, 2500, HOUR);
    if ('code' in child) throw new Error('expected a child');
    const events = applyUnlink(s, child, dispatcher, 'undo', 2600);
    expect(events).toMatchObject([{ type: 'unlinked', reason: 'undo' }]);
    expect(s.status).toBe('open');
    expect(s.completedAt).toBeNull();
    expect(s.children.size).toBe(0);
  });
});

describe('completion and areas', () => {
  it('lets only supervisors and admins complete below capacity', () => {
    const s = session(3);
    link(s, 'FFFF1');
    expect(decideComplete(s, dispatcher)).toMatchObject({ code: 'FORBIDDEN' });
    expect(decideComplete(s, supervisor)).toBeNull();
    expect(decideComplete(s, admin)).toBeNull();
    expect(applyComplete(s, supervisor, 5000)).toHaveLength(1);
    expect(applyComplete(s, supervisor, 6000)).toHaveLength(0); // already completed: no new event
  });

  it('keeps dispatchers and supervisors to their area', () => {
    const s = session();
    expect(checkArea(s, dispatcher)).toBeNull();
    expect(checkArea(s, elsewhere)).toMatchObject({ code: 'AREA_FORBIDDEN' });
    expect(checkArea(s, admin)).toBeNull();
    expect(checkArea(s, { ...admin, role: 'biller' })).toBeNull();
  });

  it('bumps the version on every change and renders the view in link order', () => {
    const s = session(5);
    const v0 = s.version;
    link(s, 'GGGG2', dispatcher, 2000);
    link(s, 'GGGG1', other, 3000);
    expect(s.version).toBe(v0 + 2);
    const view = toParentView(s);
    expect(view.children.map((c) => [c.qr, c.by])).toEqual([['GGGG2', 'dee'], ['GGGG1', 'dan']]);
    expect(view).toMatchObject({ qr: 'SB00001', childCount: 2, capacity: 5, status: 'open' });
  });
});
