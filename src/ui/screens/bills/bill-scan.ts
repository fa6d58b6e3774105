// What a parent scanned into a bill means, in the scanner's states and words (UI.md: green added, amber
// duplicate, red refused with the reason). Pure, so the wording is unit-tested.
import type { BillScanAnswer } from '../../api/types';
import type { Outcome } from '../../scanner/scan-state';

export interface ErrorLike {
  code: string;
  message?: string;
  status?: number;
  details?: Record<string, unknown>;
}

const REFUSALS: Record<string, Outcome['words']['key']> = {
  PARENT_NOT_FOUND: 'bill.reject.notFound',
  BILL_FULL: 'bill.reject.full',
  BILL_FINALIZED: 'bill.reject.finalized',
  INVALID_QR: 'bill.reject.notParent',
  QR_ROLE_CONFLICT: 'bill.reject.child',
  NETWORK: 'bill.reject.network',
  AREA_FORBIDDEN: 'scan.reject.otherArea',
  FORBIDDEN: 'scan.reject.notAllowed',
  RATE_LIMITED: 'scan.reject.tooFast',
};

export function billScanOutcome(qr: string, outcome: { answer: BillScanAnswer } | { error: ErrorLike }): Outcome {
  if ('answer' in outcome) {
    const { result, parentCount } = outcome.answer;
    return result === 'added'
      ? { kind: 'linked', qr, title: { key: 'bill.kind.added' }, words: { key: 'bill.added', params: { count: parentCount } }, toScan: true }
      : { kind: 'duplicate', qr, words: { key: 'bill.duplicate' }, toScan: true };
  }
  const { code, details = {} } = outcome.error;
  const detail = { key: `error.${code}` as Outcome['words']['key'] };
  if (code === 'PARENT_ON_OTHER_BILL') {
    const other = typeof details.billNo === 'string' ? details.billNo : null;
    return { kind: 'rejected', qr, words: other ? { key: 'bill.reject.otherBill', params: { bill: other } } : { key: 'bill.reject.anotherBill' }, detail, code, toScan: true };
  }
  const key = REFUSALS[code];
  return key
    ? { kind: 'rejected', qr, words: { key }, detail, code, toScan: true }
    : { kind: 'rejected', qr, words: { key: 'scan.reject.other', params: { code } }, detail: { key: 'error.unknown', params: { code } }, code, toScan: true };
}

/** Actual vs expected weight, with the variance as people read it ("+12.5 kg (+3.1 %)"). */
export function weightVariance(actual: number | null | undefined, expected: number | null | undefined): {
  kg: number | null;
  percent: number | null;
  level: 'none' | 'ok' | 'warn' | 'bad';
} {
  if (actual == null || expected == null) return { kg: null, percent: null, level: 'none' };
  const kg = actual - expected;
  const percent = expected === 0 ? null : (kg / expected) * 100;
  const abs = Math.abs(percent ?? (kg === 0 ? 0 : 100));
  return { kg, percent, level: abs <= 2 ? 'ok' : abs <= 5 ? 'warn' : 'bad' };
}
