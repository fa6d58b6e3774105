// A bag's history entries and scan error codes in words, for the lookup timeline and the scan history.
import type { HistoryEvent } from '../../api/types';

const ERRORS: Record<string, string> = {
  CHILD_IN_OTHER_PARENT: 'already in another parent',
  PARENT_FULL: 'parent was full',
  PARENT_COMPLETED: 'parent was completed',
  QR_ROLE_CONFLICT: 'wrong kind of label',
  INVALID_QR: 'not a valid label',
  NOT_FOUND: 'parent not opened',
  AREA_FORBIDDEN: 'another area',
};

export function errorWords(code: string): string {
  return ERRORS[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

export interface TimelineLine {
  icon: string;
  tone: 'ok' | 'warn' | 'bad' | 'info';
  text: string;
}

export function historyLine(e: HistoryEvent): TimelineLine {
  const by = e.by ? ` by ${e.by}` : '';
  const kind = e.kind ?? e.type ?? e.action ?? 'event';
  switch (kind) {
    case 'link':
      return { icon: '●', tone: 'ok', text: `${e.childQr ?? 'child'} linked into ${e.parentQr ?? 'parent'}${by}` };
    case 'unlink':
      return { icon: '○', tone: 'warn', text: `${e.childQr ?? 'child'} unlinked from ${e.parentQr ?? 'parent'}${by}${e.reason ? ` (${String(e.reason)})` : ''}` };
    case 'scan': {
      const what = e.childQr ? `${e.childQr} → ${e.parentQr ?? '?'}` : (e.parentQr ?? '');
      if (e.result === 'rejected') {
        const code = typeof e.errorCode === 'string' ? errorWords(e.errorCode) : 'rejected';
        return { icon: '✖', tone: 'bad', text: `Scan ${what} rejected: ${code}${by}` };
      }
      if (e.result === 'duplicate') return { icon: '⚠', tone: 'warn', text: `Scan ${what}: already there${by}` };
      return { icon: '▣', tone: 'info', text: `Scan ${what}${e.result ? ` ${e.result}` : ''}${by}` };
    }
    case 'bill_add':
      return { icon: '▣', tone: 'info', text: `${e.parentQr ?? 'Parent'} added to bill ${e.billNo ?? ''}${by}` };
    case 'bill_remove':
      return { icon: '▣', tone: 'warn', text: `${e.parentQr ?? 'Parent'} removed from bill ${e.billNo ?? ''}${by}` };
    case 'bill_finalize':
      return { icon: '▣', tone: 'ok', text: `Bill ${e.billNo ?? ''} finalized${by}` };
    default:
      return { icon: '•', tone: 'info', text: `${kind.replace(/_/g, ' ')}${by}` };
  }
}
