// The parent's child bags, newest first, with when (deployment zone, shown) and who; scans still waiting on
// the device are marked.
import { formatClock, zoneLabel } from '../../format';
import { n, t } from '../../i18n';
import type { ChildView } from '../../../shared/types';

export function ChildList({ children }: { children: Array<ChildView & { waiting?: boolean }> }) {
  // Reversed first: children linked in the same millisecond (a fast burst) keep scan order, newest on top.
  const newestFirst = [...children].reverse().sort((a, b) => (a.linkedAt < b.linkedAt ? 1 : a.linkedAt > b.linkedAt ? -1 : 0));
  return (
    <section class="card" aria-labelledby="children-title">
      <h2 id="children-title">
        {t('scan.children', { count: n(children.length) })} <small class="muted">{t('scan.timesIn', { zone: zoneLabel() })}</small>
      </h2>
      {newestFirst.length === 0 ? (
        <p class="muted">{t('scan.none')}</p>
      ) : (
        <ol class="child-list" data-testid="child-list" reversed>
          {newestFirst.map((c) => (
            <li key={c.qr} class={c.waiting ? 'child-waiting' : undefined}>
              <span class="child-qr">{c.qr}</span>
              <span class="muted">
                {c.waiting && <strong class="chip-waiting">↻ {t('scan.waitingChild')}</strong>} {formatClock(c.linkedAt)} · {c.by}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
