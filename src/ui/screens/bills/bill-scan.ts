// What a parent scanned into a bill means, in the scanner's colours and in words (UI.md: green added,
// amber duplicate, red rejected with the reason). Pure, so the wording is unit-tested.
import type { BillScanAnswer } from '../../api/types';

export type Tone = 'ok' | 'warn' | 'error' | 'info';

export interface ScanBanner {
  tone: Tone;
  icon: string;
  text: string;
}

export interface ErrorLike {
  code: string;
  message: string;
  status?: number;
  details?: Record<string, unknown>;
}

export function billScanBanner(qr: string, outcome: { answer: BillScanAnswer } | { error: ErrorLike }): ScanBanner {
  if ('answer' in outcome) {
    const { result, parentCount, parent } = outcome.answer;
    if (result === 'duplicate') return { tone: 'warn', icon: '⚠', text: `${qr} is already on this bill` };
    // A parent that is not complete goes on the truck short of bags: added, but amber, with its count.
    if (parent && parent.status !== 'completed') {
      return { tone: 'warn', icon: '⚠', text: `${qr} added, but not complete: ${parent.childCount} / ${parent.capacity} child bags` };
    }
    return { tone: 'ok', icon: '✔', text: `${qr} added · ${parentCount} parent${parentCount === 1 ? '' : 's'} on this bill` };
  }
  const { code, message, details = {} } = outcome.error;
  const other = typeof details.billNo === 'string' ? details.billNo : null;
  const words: Record<string, string> = {
    PARENT_NOT_FOUND: `${qr} was never scanned as a parent bag: fill it on the scanner first`,
    PARENT_ON_OTHER_BILL: other ? `${qr} is already on bill ${other}` : `${qr} is already on another bill`,
    BILL_FULL: `The bill is full: ${qr} not added`,
    BILL_FINALIZED: 'This bill is finalized: reopen it to change its parents',
    INVALID_QR: `${qr} is not a parent label (${message})`,
    QR_ROLE_CONFLICT: `${qr} is a child bag, not a parent`,
    NETWORK: `No connection: ${qr} was not added, scan it again`,
  };
  return { tone: 'error', icon: '✖', text: words[code] ?? `${qr}: ${message}` };
}
