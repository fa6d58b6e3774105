// Scans that were saved offline and refused when sent later: listed until the operator has dealt with them.
import type { ReplayRejection } from '../../scanner/offline-queue';
import { formatClock as formatTime } from '../../format';

export function RejectionList({ items, onDismiss }: { items: ReplayRejection[]; onDismiss: (r: ReplayRejection) => void }) {
  if (items.length === 0) return null;
  return (
    <section class="card rejections" aria-labelledby="rejections-title" data-testid="rejections">
      <h2 id="rejections-title">
        <span aria-hidden="true">✕</span> Refused after coming back online ({items.length})
      </h2>
      <p class="muted">These scans were saved while offline and the server refused them. Check each bag, then dismiss.</p>
      <ul>
        {items.map((r) => (
          <li key={r.seq} class="banner banner-error">
            <strong>{r.qr}</strong> → {r.parentQr}: {r.reason} <small>(scanned {formatTime(r.at)})</small>{' '}
            <button type="button" class="button" onClick={() => onDismiss(r)}>
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
