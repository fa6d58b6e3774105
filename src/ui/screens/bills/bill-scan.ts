// What a parent scanned into a bill means, in the scanner's states and words (UI.md: green added, amber
// duplicate, red refused with the reason). Pure, so the wording is unit-tested.
import type { BillScanAnswer } from '../../api/types';
import type { ErrorLike, Outcome } from '../../scanner/scan-state';

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
    const { result, parentCount, parent } = outcome.answer;
    if (result === 'duplicate') return { kind: 'duplicate', qr, words: { key: 'bill.duplicate' }, toScan: true };
    // A parent that is not complete goes on the truck short of bags: added, but amber, with its count.
    if (parent && parent.status !== 'completed') {
      return { kind: 'duplicate', qr, title: { key: 'bill.kind.addedShort' }, words: { key: 'bill.addedShort', params: { count: parent.childCount, capacity: parent.capacity } }, toScan: true };
    }
    return { kind: 'linked', qr, title: { key: 'bill.kind.added' }, words: { key: 'bill.added', params: { count: parentCount } }, toScan: true };
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
