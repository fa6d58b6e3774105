// The big "n / 30" with a progress bar: readable across the loading bay.
import type { ParentStatus } from '../../../shared/types';

export function Counter({ count, capacity, status }: { count: number | null; capacity: number; status: ParentStatus | null }) {
  const n = count ?? 0;
  const pct = Math.min(100, Math.round((n / capacity) * 100));
  return (
    <div class={`counter${status === 'completed' ? ' counter-done' : ''}`}>
      <p class="counter-figure" data-testid="counter" aria-live="polite">
        <span class="counter-n">{count ?? '–'}</span> / {capacity}
      </p>
      <div class="progress" role="progressbar" aria-label="Child bags in this parent" aria-valuemin={0} aria-valuemax={capacity} aria-valuenow={n}>
        <div class="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      {status === 'completed' && (
        <p class="counter-status" data-testid="parent-status">
          <span aria-hidden="true">✓</span> Completed
        </p>
      )}
    </div>
  );
}
