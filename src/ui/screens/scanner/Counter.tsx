// The big "n / 30" with a progress bar, readable across the loading bay; while the parent is still loading on
// a slow network it says so in the same place (no jump).
import { n, t } from '../../i18n';

export function Counter({ count, capacity, complete, loading }: { count: number | null; capacity: number; complete: boolean; loading: 'idle' | 'loading' | 'slow' }) {
  const done = count ?? 0;
  const pct = Math.min(100, Math.round((done / capacity) * 100));
  return (
    <div class={`counter${complete ? ' counter-done' : ''}`}>
      <p class="counter-figure" data-testid="counter" aria-live="polite">
        <span class="counter-n">{count === null ? '–' : n(count)}</span> / {n(capacity)}
      </p>
      <div class="progress" role="progressbar" aria-label={t('scan.counterLabel')} aria-valuemin={0} aria-valuemax={capacity} aria-valuenow={done}>
        <div class="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <p class="counter-status" data-testid={complete ? 'parent-status' : undefined}>
        {loading === 'slow' ? (
          <span class="slow" data-testid="slow-network">
            <span class="spinner" aria-hidden="true" /> {t('scan.slow')}
          </span>
        ) : complete ? (
          <>
            <span aria-hidden="true">★</span> {t('scan.completed')}
          </>
        ) : null}
      </p>
    </div>
  );
}
