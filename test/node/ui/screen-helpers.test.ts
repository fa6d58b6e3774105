import { describe, expect, it } from 'vitest';
import { billScanOutcome, weightVariance } from '../../../src/ui/screens/bills/bill-scan';
import { tryT } from '../../../src/ui/i18n';
import { cutAtHour, hourlySeries } from '../../../src/ui/screens/dashboard/hourly';
import { errorWords, historyLine } from '../../../src/ui/screens/lookup/history-words';

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
});

describe('weight variance', () => {
  it('is ok within 2 %, a warning to 5 %, bad beyond', () => {
    expect(weightVariance(101, 100)).toMatchObject({ kg: 1, level: 'ok' });
    expect(weightVariance(96, 100).level).toBe('warn');
    expect(weightVariance(80, 100)).toMatchObject({ kg: -20, percent: -20, level: 'bad' });
    expect(weightVariance(null, 100).level).toBe('none');
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
    expect(historyLine({ at: '', kind: 'scan', childQr: 'C1', parentQr: 'SB00001', result: 'rejected', errorCode: 'PARENT_FULL' })).toMatchObject({
      tone: 'bad',
      text: 'Scan C1 → SB00001 rejected: parent was full',
    });
    expect(historyLine({ at: '', kind: 'bill_add', parentQr: 'SB00001', billNo: 'B1' }).text).toBe('SB00001 added to bill B1');
    expect(errorWords('CHILD_IN_OTHER_PARENT')).toBe('already in another parent');
  });
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
