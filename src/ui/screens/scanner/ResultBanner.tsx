// The last scan's result, full width: colour + icon + words + the label, replaced by the next scan.
import type { Outcome, OutcomeKind } from '../../scanner/scanner-session';

const LOOK: Record<OutcomeKind, { cls: string; icon: string; title: string }> = {
  linked: { cls: 'ok', icon: '✓', title: 'Linked' },
  duplicate: { cls: 'warn', icon: '!', title: 'Already there' },
  rejected: { cls: 'error', icon: '✕', title: 'Rejected' },
  queued: { cls: 'info', icon: '↻', title: 'Saved offline' },
  info: { cls: 'info', icon: 'i', title: 'Info' },
};

export function ResultBanner({ outcome }: { outcome: Outcome | null }) {
  if (!outcome) return <div class="result result-empty" aria-hidden="true" />;
  const look = LOOK[outcome.kind];
  return (
    <div key={outcome.n} class={`result banner banner-${look.cls}`} role="status" aria-live="assertive" data-testid="result" data-kind={outcome.kind}>
      <span class="result-icon" aria-hidden="true">
        {look.icon}
      </span>
      <div>
        <p class="result-title">
          {look.title}
          {outcome.qr && <span class="result-qr"> {outcome.qr}</span>}
        </p>
        <p class="result-words">{outcome.words}</p>
      </div>
    </div>
  );
}
