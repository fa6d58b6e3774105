// What a label scanned on the lookup screen gets back, in the scanner's states, sounds and words (issue 9: every
// scan on every screen gets its own visible and audible answer): found = blue with a short tick, what the bag is
// and where; not found = amber, two beeps; refused (not a label, no network, not allowed) = red, the low buzz,
// the reason in words. A scan that closed the "Delete empty parent" question says the parent was not deleted.
// Pure, so the wording is unit-tested (test/node/ui/screen-helpers.test.ts).
import type { LookupResult } from '../../api/types';
import type { MessageKey } from '../../i18n/en';
import type { ErrorLike, Outcome, Words } from '../../scanner/scan-state';

const REFUSALS: Record<string, MessageKey> = {
  INVALID_QR: 'scan.reject.notALabel',
  NETWORK: 'lookup.answer.offline',
  RATE_LIMITED: 'scan.reject.tooFast',
  FORBIDDEN: 'scan.reject.notAllowed',
};

export function lookupOutcome(qr: string, result: { found: Pick<LookupResult, 'bag' | 'parent'> } | { error: ErrorLike }, notDeleted?: string): Outcome {
  let outcome: Outcome;
  if ('found' in result) {
    const { bag, parent } = result.found;
    const words: Words =
      bag.type === 'parent'
        ? { key: 'lookup.answer.parent' as const, params: { count: bag.childCount ?? 0 } }
        : parent
          ? { key: 'lookup.answer.child' as const, params: { parent: parent.qr } }
          : { key: 'lookup.answer.loose' as const };
    outcome = { kind: 'info', qr, title: { key: 'lookup.answer.found' }, words, toScan: true };
  } else {
    const { code } = result.error;
    outcome =
      code === 'NOT_FOUND'
        ? { kind: 'duplicate', qr, title: { key: 'lookup.answer.notFound' }, words: { key: 'lookup.answer.noBag' }, toScan: true }
        : {
            kind: 'rejected',
            qr,
            title: { key: 'lookup.answer.refused' },
            words: REFUSALS[code] ? { key: REFUSALS[code] } : { key: 'scan.reject.other', params: { code } },
            detail: REFUSALS[code] ? { key: `error.${code}` as MessageKey } : { key: 'error.unknown', params: { code } },
            code,
            toScan: true,
          };
  }
  // The question is gone and nothing was deleted: said in the big words, what the scan found goes to the details.
  return notDeleted ? { ...outcome, words: { key: 'lookup.answer.notDeleted', params: { qr: notDeleted } }, detail: outcome.words } : outcome;
}
