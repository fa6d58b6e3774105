// The last answer of a scanning screen (scanner, bill scanning), full width, in a slot of fixed height (nothing under the thumb moves, whatever the words):
// state = colour + icon in its own shape + a short word + pattern, so it reads at arm's length, in sunlight
// and in grayscale. The longer explanation and the error code open on tap, over the content below.
import { useState } from 'preact/hooks';
import { t, tryT } from '../i18n';
import type { Outcome, OutcomeKind, Words } from '../scanner/scan-state';
import './result-banner.css';

export type ShownOutcome = Outcome & { n: number };

export const ICONS: Record<OutcomeKind, string> = {
  linked: '✓',
  duplicate: '!',
  rejected: '✕',
  queued: '↻',
  complete: '★',
  question: '?',
  info: 'i',
};

export function wordsText(w: Words): string {
  return tryT(w.key, w.params) ?? w.key;
}

export function ResultBanner({ outcome, testId = 'result' }: { outcome: ShownOutcome | null; testId?: string }) {
  const [openFor, setOpenFor] = useState<number | null>(null);
  if (!outcome) return <div class="result-slot" aria-hidden="true"><div class="result result-empty" /></div>;
  const open = openFor === outcome.n;
  const hasDetail = !!outcome.detail || !!outcome.code;
  return (
    <div class="result-slot" role="status" aria-live="assertive">
      <button
        type="button"
        key={outcome.n}
        class={`result result-${outcome.kind}`}
        data-testid={testId}
        data-kind={outcome.kind}
        data-n={outcome.n}
        aria-expanded={hasDetail ? open : undefined}
        onClick={() => hasDetail && setOpenFor(open ? null : outcome.n)}
      >
        <span class={`result-icon shape-${outcome.kind}`} aria-hidden="true">
          {ICONS[outcome.kind]}
        </span>
        <span class="result-text">
          <span class="result-title">
            {outcome.title ? wordsText(outcome.title) : t(`scan.kind.${outcome.kind}`)}
            {outcome.qr && <span class="result-qr"> {outcome.qr}</span>}
          </span>
          <span class="result-words">{wordsText(outcome.words)}</span>
        </span>
        {hasDetail && (
          <span class="result-more" aria-hidden="true">
            {open ? '▴' : '▾'}
          </span>
        )}
      </button>
      {open && (
        <div class="result-details" data-testid="result-details">
          {outcome.detail && <p>{wordsText(outcome.detail)}</p>}
          {outcome.code && <p class="muted">{t('error.code', { code: outcome.code })}</p>}
        </div>
      )}
    </div>
  );
}
