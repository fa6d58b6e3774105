// A bag's history entries and scan error codes in words (the user's language), for the lookup timeline and
// the scan history.
import type { HistoryEvent } from '../../api/types';
import { t, tryT } from '../../i18n';

export function errorWords(code: string): string {
  return tryT(`why.${code}`) ?? t('why.other', { code });
}

export interface TimelineLine {
  icon: string;
  tone: 'ok' | 'warn' | 'bad' | 'info';
  text: string;
}

export function historyLine(e: HistoryEvent): TimelineLine {
  const by = e.by ? t('history.by', { name: e.by }) : '';
  // A string, not the union: a kind a newer server adds still gets the generic line below.
  const kind: string = e.kind;
  const child = e.childQr ?? t('history.child');
  const parent = e.parentQr ?? t('history.parent');
  const bill = e.billNo ?? '';
  switch (kind) {
    case 'link':
      return { icon: '●', tone: 'ok', text: t('history.link', { child, parent, by }) };
    case 'unlink': {
      const reason = e.reason ? (tryT(`history.reason.${String(e.reason)}`) ?? String(e.reason)) : null;
      return { icon: '○', tone: 'warn', text: reason ? t('history.unlinkReason', { child, parent, by, reason }) : t('history.unlink', { child, parent, by }) };
    }
    case 'scan': {
      const what = e.childQr ? `${e.childQr} → ${e.parentQr ?? '?'}` : (e.parentQr ?? '');
      if (e.result === 'rejected') {
        const why = typeof e.errorCode === 'string' ? errorWords(e.errorCode) : t('status.rejected');
        return { icon: '✖', tone: 'bad', text: t('history.scanRejected', { what, why, by }) };
      }
      if (e.result === 'duplicate') return { icon: '⚠', tone: 'warn', text: t('history.scanDuplicate', { what, by }) };
      if (e.result === 'linked') return { icon: '▣', tone: 'info', text: t('history.scanLinked', { what, by }) };
      return { icon: '▣', tone: 'info', text: t('history.scan', { what, by }) };
    }
    case 'bill_add':
      return { icon: '▣', tone: 'info', text: t('history.billAdd', { parent, bill, by }) };
    case 'bill_finalize':
      return { icon: '▣', tone: 'ok', text: t('history.billFinalize', { bill, by }) };
    case 'return':
      return { icon: '↶', tone: 'warn', text: t('history.return', { parent, bill, code: e.ticketCode ?? '?', by }) };
    default:
      return { icon: '•', tone: 'info', text: t('history.event', { kind: kind.replace(/_/g, ' '), by }) };
  }
}
