// An import row's (or file's) words in the user's language: a row answered in the browser has a catalog key
// (import.why.*) with its values; a row the server refused has a code, whose words every catalog has
// (error.*). The English `message` only when neither is known (never for the contract's codes).
import { importScreen } from '../../i18n/en/import';
import { currentLocale, errorText, t, tryT } from '../../i18n';
import { ROW_OUTCOMES, type RowResult } from '../../../shared/import-types';
import type { FileWords } from './worker-protocol';

type Worded = Pick<RowResult, 'code' | 'message' | 'key' | 'params'>;

export function rowText(r: Worded): string {
  if (r.key) {
    const words = tryT(r.key, r.params);
    if (words !== undefined) return words;
  }
  // A child already in another parent: which one (the server says so on a dry run and on apply).
  if (r.code === 'CHILD_IN_OTHER_PARENT' && r.params?.parent !== undefined) return t('import.why.alreadyIn', { parent: String(r.params.parent) });
  if (r.code) return errorText({ code: r.code });
  return r.message ?? '';
}

/** A reason a run paused or stopped ('stopped': the operator pressed Stop). */
export function reasonText(reason: string): string {
  return reason === 'stopped' ? t('import.stoppedByYou') : reason;
}

const WHY_KEYS = Object.keys(importScreen).filter((k) => k.startsWith('import.why.'));

/** The result file's words for the worker, in the language on screen now. */
export function fileWords(): FileWords {
  return {
    locale: currentLocale(),
    header: [t('import.file.outcome'), t('import.file.detail')],
    outcome: Object.fromEntries(ROW_OUTCOMES.map((o) => [o, t(`import.file.${o}`)])) as FileWords['outcome'],
    // Without values the holes stay as {name}: the worker fills them for each of its rows.
    why: Object.fromEntries(WHY_KEYS.map((k) => [k, tryT(k) ?? k])),
  };
}
