// Scans that were saved offline and refused when sent later: listed until the operator has dealt with them.
import { formatClock } from '../../format';
import { n, t } from '../../i18n';
import type { ReplayRejection } from '../../scanner/offline-queue';
import { childRefusal } from '../../scanner/scan-state';
import { wordsText } from '../../components/ResultBanner';

function reason(r: ReplayRejection): string {
  if (r.reason && !r.as) return r.reason;
  const words = wordsText(childRefusal(r.qr, { ...(r.details ?? {}), code: r.code }).words);
  return r.as === 'parent' ? `${r.parentQr}: ${words}` : words;
}

export function RejectionList({ items, onDismiss }: { items: ReplayRejection[]; onDismiss: (r: ReplayRejection) => void }) {
  if (items.length === 0) return null;
  return (
    <section class="card rejections" aria-labelledby="rejections-title" data-testid="rejections">
      <h2 id="rejections-title">
        <span aria-hidden="true">✕</span> {t('scan.refusedTitle', { count: n(items.length) })}
      </h2>
      <p class="muted">{t('scan.refusedHint')}</p>
      <ul>
        {items.map((r) => (
          <li key={r.seq} class="banner banner-error">
            <strong>{r.qr}</strong> → {r.parentQr}: {reason(r)} <small>({t('scan.refusedAt', { time: formatClock(r.at) })})</small>{' '}
            <button type="button" class="button" onClick={() => onDismiss(r)}>
              {t('scan.dismiss')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
