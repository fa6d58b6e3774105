import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyLanguage, loadParts, tryT } from '../../../src/ui/i18n';
import { billScanOutcome } from '../../../src/ui/screens/bills/bill-scan';
import { billAreas, billCompletion, weightVariance } from '../../../src/ui/screens/bills/bill-view';
import { cutAtHour, hourlySeries } from '../../../src/ui/screens/dashboard/hourly';
import { errorWords, historyLine } from '../../../src/ui/screens/lookup/history-words';
import { lookupOutcome } from '../../../src/ui/screens/lookup/lookup-answer';

// The screens these helpers serve load their catalog parts with their code (app.tsx, withParts): so does the test.
beforeAll(() => loadParts(['bills', 'billScan', 'lookup', 'returns', 'dashboard']));

describe('bill scan answer', () => {
  const words = (o: ReturnType<typeof billScanOutcome>) => tryT(o.words.key, o.words.params);
  it('is green for added, amber for duplicate', () => {
    const added = billScanOutcome('SB00001', { answer: { result: 'added', parentCount: 3 } });
    expect(added).toMatchObject({ kind: 'linked', qr: 'SB00001' });
    expect(words(added)).toBe('added · 3 parents on this bill');
    expect(billScanOutcome('SB00001', { answer: { result: 'duplicate', parentCount: 3 } }).kind).toBe('duplicate');
  });

  it('is red with the reason in words for each rejection, and names an unknown code', () => {
    const err = (code: string, details = {}) => billScanOutcome('SB00002', { error: { code, message: 'm', details } });
    expect(words(err('PARENT_NOT_FOUND'))).toMatch(/never scanned/);
    expect(words(err('PARENT_ON_OTHER_BILL', { billNo: 'B-7' }))).toBe('already on bill B-7');
    expect(words(err('BILL_FULL'))).toMatch(/full/);
    expect(words(err('BILL_FINALIZED'))).toMatch(/finalized/);
    expect(words(err('SOMETHING_NEW'))).toBe('refused (SOMETHING_NEW)');
    expect(err('BILL_FULL')).toMatchObject({ kind: 'rejected', code: 'BILL_FULL' });
  });

  it('is amber with its count when the parent added is not complete', () => {
    const parent = { qr: 'SB00001', childCount: 12, capacity: 30, status: 'open' as const };
    const short = billScanOutcome('SB00001', { answer: { result: 'added', parentCount: 2, parent } });
    expect(short).toMatchObject({ kind: 'duplicate', qr: 'SB00001', title: { key: 'bill.kind.addedShort' } });
    expect(words(short)).toBe('added, but only 12 / 30 child bags');
    expect(billScanOutcome('SB00001', { answer: { result: 'added', parentCount: 2, parent: { ...parent, childCount: 30, status: 'completed' } } }).kind).toBe('linked');
  });
});

describe('lookup scan answer', () => {
  const words = (w: { key: string; params?: Record<string, unknown> } | undefined) => w && tryT(w.key, w.params as never);
  const bag = (type: 'parent' | 'child', childCount = 0) => ({ qr: 'X', type, areaId: 1, status: 'open', childCount, createdAt: '', createdBy: null, createdByName: null, completedAt: null });
  it('is blue for found, with what the bag is and where', () => {
    const parent = lookupOutcome('SB00001', { found: { bag: { ...bag('parent', 12), qr: 'SB00001' } } });
    expect(parent).toMatchObject({ kind: 'info', qr: 'SB00001', title: { key: 'lookup.answer.found' }, toScan: true });
    expect(words(parent.words)).toBe('parent bag, 12 child bags');
    const child = lookupOutcome('C1', { found: { bag: bag('child'), parent: { ...bag('parent', 3), qr: 'SB00001', linkedAt: '', linkedBy: null } } });
    expect(words(child.words)).toBe('child bag in SB00001');
    expect(words(lookupOutcome('C2', { found: { bag: bag('child') } }).words)).toBe('child bag, in no parent');
  });
  it('is amber for not found and red for refused, in words, with the code', () => {
    expect(lookupOutcome('C3', { error: { code: 'NOT_FOUND' } })).toMatchObject({ kind: 'duplicate', title: { key: 'lookup.answer.notFound' } });
    const long = lookupOutcome('X', { error: { code: 'INVALID_QR' } });
    expect(long).toMatchObject({ kind: 'rejected', code: 'INVALID_QR', title: { key: 'lookup.answer.refused' } });
    expect(words(long.words)).toBe('not a bag label');
    expect(words(lookupOutcome('X', { error: { code: 'NETWORK' } }).words)).toMatch(/no network/);
    const odd = lookupOutcome('X', { error: { code: 'INTERNAL' } });
    expect(words(odd.words)).toBe('refused (INTERNAL)');
    expect(words(odd.detail)).toMatch(/INTERNAL/);
  });
  it('says the parent was not deleted when the scan closed the delete question, what it found in the details', () => {
    const o = lookupOutcome('C4', { error: { code: 'NOT_FOUND' } }, 'SB00009');
    expect(o.kind).toBe('duplicate');
    expect(words(o.words)).toBe('SB00009 not deleted: the scan closed the question');
    expect(words(o.detail)).toBe('no bag has this label');
  });
});

describe('weight variance', () => {
  it('is ok within 2 %, a warning to 5 %, bad beyond', () => {
    expect(weightVariance(101, 100)).toMatchObject({ kg: 1, level: 'ok' });
    expect(weightVariance(96, 100).level).toBe('warn');
    expect(weightVariance(80, 100)).toMatchObject({ kg: -20, percent: -20, level: 'bad' });
    expect(weightVariance(null, 100).level).toBe('none');
  });
});

describe('bill completion', () => {
  const parents = [
    { qr: 'SB00001', childCount: 30, status: 'completed' as const, areaId: 1 },
    { qr: 'SB00002', childCount: 12, status: 'open' as const, areaId: 2 },
    { qr: 'SB00003', childCount: 30, status: 'completed' as const, areaId: 1 },
  ];
  it('is complete by capacity or by finalizing, and names the parents that are not complete', () => {
    expect(billCompletion({ status: 'completed', finalized: false, parentCount: 3, capacity: 3, parents })).toEqual({ reason: 'capacity', incompleteParents: ['SB00002'] });
    expect(billCompletion({ status: 'completed', finalized: true, parentCount: 3, capacity: 10, parents }).reason).toBe('finalized');
    expect(billCompletion({ status: 'in_progress', finalized: false, parentCount: 3, capacity: 10, parents }).reason).toBeNull();
    // Parents whose state the server did not say are not flagged.
    expect(billCompletion({ status: 'in_progress', finalized: false, parentCount: 1, capacity: 10, parents: [{ qr: 'SB9', childCount: 1 }] }).incompleteParents).toEqual([]);
  });
  it('names each dispatch area once, in the order the parents came', () => {
    expect(billAreas({ parents })).toEqual([1, 2]);
    expect(billAreas({ parents: [] })).toEqual([]);
  });
});

describe('hourly chart data', () => {
  it('reads the stats/hourly days shape with today as the later date', () => {
    const s = hourlySeries({
      days: [
        { date: '2026-11-24', hours: [{ hour: 0, scans: 5 }] },
        { date: '2026-11-25', hours: [{ hour: 9, scans: 42 }, { hour: 10, scans: 7 }] },
      ],
    });
    expect(s.todayDate).toBe('2026-11-25');
    expect(s.today[9]).toBe(42);
    expect(s.today).toHaveLength(24);
    expect(s.yesterday[0]).toBe(5);
  });

  it('accepts plain arrays and leaves future hours empty', () => {
    const s = hourlySeries({ today: [1, 2, 3], yesterday: [] });
    expect(s.today.slice(0, 4)).toEqual([1, 2, 3, 0]);
    expect(cutAtHour(s.today, 1)).toEqual([1, 2, ...new Array(22).fill(null)]);
    expect(hourlySeries(null).today.every((v) => v === 0)).toBe(true);
  });
});

describe('history in words', () => {
  it('describes links, rejections and bill events', () => {
    expect(historyLine({ at: '', kind: 'link', childQr: 'C1', parentQr: 'SB00001', by: 'asha' }).text).toBe('C1 linked into SB00001 by asha');
    expect(historyLine({ at: '', kind: 'unlink', childQr: 'C1', parentQr: 'SB00001', by: null, reason: 'undo' }).text).toBe('C1 taken out of SB00001 (undo)');
    expect(historyLine({ at: '', kind: 'scan', childQr: 'C1', parentQr: 'SB00001', by: null, result: 'rejected', errorCode: 'PARENT_FULL' })).toMatchObject({
      tone: 'bad',
      text: 'Scan C1 → SB00001 refused: parent was full',
    });
    expect(historyLine({ at: '', kind: 'bill_add', parentQr: 'SB00001', childQr: null, by: null, billNo: 'B1' }).text).toBe('SB00001 put on bill B1');
    expect(errorWords('CHILD_IN_OTHER_PARENT')).toBe('already in another parent');
    expect(errorWords('SOMETHING_NEW')).toBe('refused (SOMETHING_NEW)');
  });

  it('speaks Hindi when Hindi is chosen, QR codes and names as they are', async () => {
    await applyLanguage('hi');
    expect(historyLine({ at: '', kind: 'link', childQr: 'C1', parentQr: 'SB00001', by: 'asha' }).text).toBe('C1 को SB00001 में डाला (asha)');
    expect(historyLine({ at: '', kind: 'scan', childQr: 'C1', parentQr: 'SB00001', by: null, result: 'rejected', errorCode: 'PARENT_FULL' }).text).toBe(
      'स्कैन C1 → SB00001 नामंज़ूर: पैरेंट बैग भरा था',
    );
  });
});

afterEach(async () => {
  await applyLanguage('en');
});

describe('API errors next to their form fields', () => {
  it('reads the field from the validator message or from details, limited to the form fields', async () => {
    const { ApiError } = await import('../../../src/ui/api/client');
    const { fieldErrors } = await import('../../../src/ui/lib/field-errors');
    expect(fieldErrors(new ApiError(400, 'INVALID_INPUT', 'Invalid capacity: capacity is at most 50.'))).toEqual({ capacity: 'capacity is at most 50' });
    expect(fieldErrors(new ApiError(400, 'INVALID_INPUT', 'newPassword: The password must be at least 10 characters.'), ['newPassword'])).toEqual({
      newPassword: 'The password must be at least 10 characters.',
    });
    expect(fieldErrors(new ApiError(400, 'INVALID_INPUT', 'password: too short'), ['username'])).toEqual({});
    expect(fieldErrors(new ApiError(409, 'CONFLICT', 'A bill B-1 exists already.'), ['billNo'])).toEqual({});
    expect(fieldErrors(new ApiError(400, 'INVALID_INPUT', 'Bad', { fields: [{ path: ['billNo'], message: 'required' }] }))).toEqual({ billNo: 'required' });
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});
