// What a parent scanned into a return ticket means, in the scanner's states and words: green returned (off its
// bill), amber already on this ticket, red refused with the reason. Pure, so the wording is unit-tested.
import type { ReturnScanAnswer } from '../../api/types';
import type { ErrorLike, Outcome } from '../../scanner/scan-state';

const REFUSALS: Record<string, Outcome['words']['key']> = {
  PARENT_NOT_FOUND: 'return.reject.notFound',
  PARENT_NOT_ON_BILL: 'return.reject.notOnBill',
  RETURN_CLOSED: 'return.reject.closed',
  INVALID_QR: 'return.reject.notParent',
  NETWORK: 'return.reject.network',
  FORBIDDEN: 'scan.reject.notAllowed',
  RATE_LIMITED: 'scan.reject.tooFast',
};

export function returnScanOutcome(qr: string, outcome: { answer: ReturnScanAnswer } | { error: ErrorLike }): Outcome {
  if ('answer' in outcome) {
    const a = outcome.answer;
    if (a.result === 'duplicate') return { kind: 'duplicate', qr, words: { key: 'return.duplicate' }, toScan: true };
    return { kind: 'linked', qr, title: { key: 'return.kind.returned' }, words: { key: 'return.returned', params: { bill: a.billNo, count: a.parentChildCount } }, toScan: true };
  }
  const { code, details = {} } = outcome.error;
  const detail = { key: `error.${code}` as Outcome['words']['key'] };
  const ticket = typeof details.ticketCode === 'string' ? details.ticketCode : null;
  if (code === 'PARENT_ON_OTHER_TICKET') {
    return { kind: 'rejected', qr, words: { key: 'return.reject.otherTicket', params: { code: ticket ?? '?' } }, detail, code, toScan: true };
  }
  if (code === 'PARENT_ALREADY_RETURNED') {
    return { kind: 'rejected', qr, words: ticket ? { key: 'return.reject.already', params: { code: ticket } } : { key: 'return.reject.alreadyAny' }, detail, code, toScan: true };
  }
  const key = REFUSALS[code];
  return key
    ? { kind: 'rejected', qr, words: { key }, detail, code, toScan: true }
    : { kind: 'rejected', qr, words: { key: 'scan.reject.other', params: { code } }, detail: { key: 'error.unknown', params: { code } }, code, toScan: true };
}
