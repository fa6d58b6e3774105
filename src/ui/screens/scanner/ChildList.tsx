// The parent's child bags, newest first, with when (deployment zone, shown) and who.
import type { ChildView } from '../../../shared/types';
import { formatClock, zoneLabel } from '../../format';

export function ChildList({ children }: { children: ChildView[] }) {
  const newestFirst = [...children].sort((a, b) => (a.linkedAt < b.linkedAt ? 1 : a.linkedAt > b.linkedAt ? -1 : 0));
  return (
    <section class="card" aria-labelledby="children-title">
      <h2 id="children-title">
        Child bags ({children.length}) <small class="muted">times in {zoneLabel()}</small>
      </h2>
      {newestFirst.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <ol class="child-list" data-testid="child-list" reversed>
          {newestFirst.map((c) => (
            <li key={c.qr}>
              <span class="child-qr">{c.qr}</span>
              <span class="muted">
                {formatClock(c.linkedAt)} · {c.by}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
