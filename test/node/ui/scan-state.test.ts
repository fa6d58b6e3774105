// The scanner's decisions without I/O: one answer per code, questions answered by scanning, offline
// counting that catches duplicates and refuses the 31st child, the 30 / 30 moment, undo of a waiting scan.
import { describe, expect, it } from 'vitest';
import {
  askComplete,
  childrenShown,
  countShown,
  emptyState,
  isComplete,
  onAnswer,
  onCode,
  onParent,
  onOpenParent,
  onQueued,
  onServerMessage,
  parentRefusal,
  undoTarget,
  type ScanContext,
  type ScanState,
} from '../../../src/ui/scanner/scan-state';
import type { ParentView } from '../../../src/shared/types';

let ids = 0;
const ctx = (online: boolean): ScanContext => ({ online, user: { id: 7, username: 'dispatcher', role: 'dispatcher' }, now: new Date('2026-12-01T10:00:00Z'), newScanId: () => `s${++ids}` });
const parent = (qr: string, children: string[], capacity = 30): ParentView => ({
  qr,
  areaId: 1,
  status: children.length >= capacity ? 'completed' : 'open',
  childCount: children.length,
  capacity,
  children: children.map((c) => ({ qr: c, linkedAt: '2026-12-01T09:59:00Z', by: 'dispatcher' })),
});
function filling(qr: string, children: string[], capacity = 30): ScanState {
  return onParent({ ...emptyState, parentQr: qr }, parent(qr, children, capacity));
}

describe('onCode', () => {
  it('answers every code that cannot be a scan at once, loudly, with its reason', () => {
    expect(onCode(emptyState, 'CHILD01', ctx(true)).outcome).toMatchObject({ kind: 'rejected', words: { key: 'scan.reject.noParent' } });
    expect(onCode(emptyState, 'X', ctx(true)).outcome).toMatchObject({ kind: 'rejected', words: { key: 'scan.reject.notALabel' } });
    const s = filling('SB00001', []);
    expect(onCode(s, 'SB001234', ctx(true)).outcome).toMatchObject({ kind: 'rejected', code: 'INVALID_QR', words: { key: 'scan.reject.lookalike', params: { digits: 6, expected: 5 } } });
    expect(onCode(s, 'SB001234', ctx(true)).effects).toEqual([]);
  });

  it('sends a child online and lets the ack answer it', () => {
    const s = filling('SB00001', ['A0001']);
    const step = onCode(s, 'A0002', ctx(true));
    expect(step.outcome).toBeNull();
    expect(step.effects).toMatchObject([{ type: 'send', scan: { qr: 'A0002', parentQr: 'SB00001', sent: true } }]);
    const scanId = step.state.waiting[0]!.scanId;
    const acked = onAnswer(step.state, scanId, { result: 'linked', childQr: 'A0002', childCount: 2, capacity: 30, status: 'open' });
    expect(acked.outcome).toMatchObject({ kind: 'linked', words: { key: 'scan.linked', params: { count: 2, capacity: 30 } } });
    expect(acked.state.waiting).toEqual([]);
    expect(countShown(acked.state)).toBe(2);
  });

  it('raises the count on the answer, not before: a refused scan never showed in the bag', () => {
    const s = filling('SB00001', ['A0001']);
    const step = onCode(s, 'TAKEN01', ctx(true));
    expect(countShown(step.state)).toBe(1);
    const refused = onAnswer(step.state, step.state.waiting[0]!.scanId, {
      result: 'rejected',
      childQr: 'TAKEN01',
      childCount: 1,
      capacity: 30,
      status: 'open',
      error: { code: 'CHILD_IN_OTHER_PARENT', parentQr: 'SB00009' },
    });
    expect(refused.outcome).toMatchObject({ kind: 'rejected', words: { key: 'scan.reject.inOther', params: { parent: 'SB00009' } } });
    expect(countShown(refused.state)).toBe(1);
  });

  it('does not show 30 / 30 (or "seal it") while the 30th child is still on its way', () => {
    const s = filling('SB00123', Array.from({ length: 29 }, (_, i) => `C${1000 + i}`));
    const step = onCode(s, 'C9999', ctx(true));
    expect(countShown(step.state)).toBe(29);
    expect(isComplete(step.state)).toBe(false);
    // Offline checks still count it: it will take the last place unless the server refuses it.
    expect(onCode(step.state, 'C8888', ctx(false)).outcome).toMatchObject({ kind: 'rejected', code: 'PARENT_FULL' });
  });

  it('lists a child just linked as the newest, even before the server says when it linked it', () => {
    // The server linked the child before this one after this device scanned the new one (a busy server).
    const s = onParent({ ...emptyState, parentQr: 'SB00001' }, { ...parent('SB00001', []), childCount: 1, children: [{ qr: 'A0001', linkedAt: '2026-12-01T10:00:00.500Z', by: 'dispatcher' }] });
    const step = onCode(s, 'A0002', ctx(true));
    const acked = onAnswer(step.state, step.state.waiting[0]!.scanId, { result: 'linked', childQr: 'A0002', childCount: 2, capacity: 30, status: 'open' });
    const [older, newer] = acked.state.parent!.children;
    expect(newer!.qr).toBe('A0002');
    expect(newer!.linkedAt >= older!.linkedAt).toBe(true);
  });

  it('makes 30 / 30 its own moment', () => {
    const s = filling('SB00123', Array.from({ length: 29 }, (_, i) => `C${1000 + i}`));
    const step = onCode(s, 'C9999', ctx(true));
    const done = onAnswer(step.state, step.state.waiting[0]!.scanId, { result: 'linked', childQr: 'C9999', childCount: 30, capacity: 30, status: 'completed' });
    expect(done.outcome).toMatchObject({ kind: 'complete', words: { key: 'scan.complete', params: { parent: 'SB00123' } } });
  });

  it('asks before switching from an unfinished parent, and takes the answer from a scan', () => {
    const s = filling('SB00001', ['A0001']);
    const asked = onCode(s, 'SB00002', ctx(true));
    expect(asked.outcome).toMatchObject({ kind: 'question' });
    expect(asked.state.question).toEqual({ kind: 'switch', to: 'SB00002' });
    // The same parent label again: switch.
    const yes = onCode(asked.state, 'SB00002', ctx(true));
    expect(yes.effects).toEqual([{ type: 'open', qr: 'SB00002' }]);
    expect(yes.state.question).toBeNull();
    // A child label: stay, and the child goes into the current parent.
    const stay = onCode(asked.state, 'A0002', ctx(true));
    expect(stay.state.question).toBeNull();
    expect(stay.effects).toMatchObject([{ type: 'send', scan: { qr: 'A0002', parentQr: 'SB00001' } }]);
    // Something unreadable: refused, the question stays.
    const junk = onCode(asked.state, '??', ctx(true));
    expect(junk.outcome?.kind).toBe('rejected');
    expect(junk.state.question).toEqual({ kind: 'switch', to: 'SB00002' });
  });

  it("asks once before a supervisor's early Complete; scanning the parent again confirms", () => {
    const s = filling('SB00001', ['A0001']);
    const asked = askComplete(s);
    expect(asked.state.question).toEqual({ kind: 'complete' });
    expect(onCode(asked.state, 'SB00001', ctx(true)).effects).toEqual([{ type: 'complete', qr: 'SB00001', byScan: true }]);
    expect(onCode(asked.state, 'A0009', ctx(true)).state.question).toBeNull();
  });
});

describe('offline', () => {
  it('counts at once, catches duplicates on the device and refuses the 31st child', () => {
    let s = filling('SB00001', Array.from({ length: 28 }, (_, i) => `C${1000 + i}`));
    const a = onCode(s, 'NEW0001', ctx(false));
    expect(a.outcome).toMatchObject({ kind: 'queued', words: { params: { count: 29, capacity: 30 } } });
    s = a.state;
    expect(onCode(s, 'NEW0001', ctx(false)).outcome).toMatchObject({ kind: 'duplicate', words: { key: 'scan.duplicateWaiting' } });
    expect(onCode(s, 'C1000', ctx(false)).outcome).toMatchObject({ kind: 'duplicate', words: { key: 'scan.duplicate' } });
    const b = onCode(s, 'NEW0002', ctx(false));
    expect(b.outcome).toMatchObject({ kind: 'complete', words: { key: 'scan.completeOffline' } });
    s = b.state;
    const c = onCode(s, 'NEW0003', ctx(false));
    expect(c.outcome).toMatchObject({ kind: 'rejected', code: 'PARENT_FULL' });
    expect(c.effects).toEqual([]);
    expect(countShown(s)).toBe(30);
  });

  it('turns a scan whose ack never came into a waiting one, and lets Undo take it back', () => {
    const s = filling('SB00001', ['A0001']);
    const sent = onCode(s, 'A0002', ctx(true));
    const scanId = sent.state.waiting[0]!.scanId;
    // On its way: nothing to undo yet (its answer decides).
    expect(undoTarget(sent.state, 7, 'dispatcher', Date.parse('2026-12-01T10:00:01Z'), 3_600_000)).toBeNull();
    const queued = onQueued(sent.state, scanId);
    expect(queued.outcome).toMatchObject({ kind: 'queued' });
    expect(undoTarget(queued.state, 7, 'dispatcher', Date.parse('2026-12-01T10:00:01Z'), 3_600_000)).toMatchObject({ kind: 'waiting', scan: { qr: 'A0002' } });
    // Without waiting scans, the newest linked child within the window.
    expect(undoTarget(s, 7, 'dispatcher', Date.parse('2026-12-01T10:00:01Z'), 3_600_000)).toEqual({ kind: 'server', qr: 'A0001' });
    expect(undoTarget(s, 7, 'dispatcher', Date.parse('2026-12-01T12:00:00Z'), 3_600_000)).toBeNull();
    // Two children linked in the same millisecond: the later one is what the server's undo takes back.
    const tied = filling('SB00001', ['A0001', 'A0002']);
    expect(undoTarget(tied, 7, 'dispatcher', Date.parse('2026-12-01T10:00:01Z'), 3_600_000)).toEqual({ kind: 'server', qr: 'A0002' });
  });
});

describe('the parent: opening it and its socket', () => {
  it('opens the parent a route names, dropping an open question', () => {
    const asked = askComplete(filling('SB00001', ['A0001']));
    const step = onOpenParent(asked.state, 'SB00002');
    expect(step.state).toMatchObject({ parentQr: 'SB00002', parent: null, question: null });
    expect(step.effects).toEqual([{ type: 'open', qr: 'SB00002' }]);
  });

  it("says why the server would not open a parent, in the operator's words", () => {
    expect(parentRefusal('C0001', { code: 'QR_ROLE_CONFLICT' })).toMatchObject({ kind: 'rejected', words: { key: 'scan.reject.childLabel' }, detail: { key: 'error.QR_ROLE_CONFLICT' }, toScan: true });
    expect(parentRefusal('SB00001', { code: 'AREA_FORBIDDEN' })).toMatchObject({ words: { key: 'scan.reject.otherArea' } });
    expect(parentRefusal('SB00001', { code: 'ODD' })).toMatchObject({ words: { key: 'scan.reject.other', params: { code: 'ODD' } }, code: 'ODD' });
  });

  it("follows the socket of the open parent only: its state, and any device's links", () => {
    const s = filling('SB00001', ['A0001']);
    expect(onServerMessage(s, 'SB00002', { type: 'state', parent: parent('SB00002', []) })).toBeNull();
    expect(onServerMessage(s, 'SB00001', { type: 'state', parent: parent('SB00001', ['A0001', 'A0002']) })?.parent?.childCount).toBe(2);
    const linked = onServerMessage(s, 'SB00001', { type: 'linked', parentQr: 'SB00001', childQr: 'B0001', childCount: 2, status: 'open', by: 'other', at: '2026-12-01T10:00:00Z' });
    expect(linked?.parent?.children.map((c) => c.qr)).toEqual(['A0001', 'B0001']);
    expect(onServerMessage(s, 'SB00001', { type: 'error', error: { code: 'X', message: 'x' } } as never)).toBeNull();
  });
});

describe('answers that beat the open', () => {
  it("keeps a child the server linked before the parent's open answered, when that answer is older", () => {
    // A fresh parent: the open is on its way when the first children are scanned (sent at once, online).
    let s = onCode(emptyState, 'SB00007', ctx(true)).state;
    expect(s.parent).toBeNull();
    const a = onCode(s, 'E0001', ctx(true));
    const b = onCode(a.state, 'E0002', ctx(true));
    s = b.state;
    const [first, second] = s.waiting;
    s = onAnswer(s, first!.scanId, { result: 'linked', childQr: 'E0001', childCount: 1, capacity: 30, status: 'open' }).state;
    s = onAnswer(s, second!.scanId, { result: 'linked', childQr: 'E0002', childCount: 2, capacity: 30, status: 'open' }).state;
    // The open's view was made before either child was linked (a slow server).
    s = onParent(s, parent('SB00007', []));
    expect(countShown(s)).toBe(2);
    expect(childrenShown(s).map((c) => c.qr).sort()).toEqual(['E0001', 'E0002']);
    // Later views are the server's word again (another device's undo lowers the count).
    s = onParent(s, parent('SB00007', ['E0001']));
    expect(countShown(s)).toBe(1);
  });

  it('does the same when this device already knew the parent from before', () => {
    const known = filling('SB00008', ['F0001']);
    // Scanned again after leaving it: the open goes out with what the device last saw of it.
    let s = onCode({ ...known, parentQr: null }, 'SB00008', ctx(true)).state;
    expect(s.parent?.childCount).toBe(1);
    s = onCode(s, 'F0002', ctx(true)).state;
    s = onAnswer(s, s.waiting[0]!.scanId, { result: 'linked', childQr: 'F0002', childCount: 2, capacity: 30, status: 'open' }).state;
    expect(countShown(s)).toBe(2);
    s = onParent(s, parent('SB00008', ['F0001']));
    expect(countShown(s)).toBe(2);
  });
});
