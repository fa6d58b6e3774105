// The supervisors' view of flush conflicts (issue 10 point 1), on the board and the admins' dashboard: changes
// a scanner was told were done that the database refused — a child the database has in another parent, or a
// scan whose event id the database already holds for a different event (`event_id_reused`). Never dropped:
// they stay listed (GET /api/conflicts, own area for supervisors) until resolved. Shown only when there are some.
import { query } from '../api/client';
import { currentUser } from '../state/session';
import { formatDateTime } from '../format';
import { n, t } from '../i18n';
import { LoadMore } from './LoadMore';
import { QrLink } from './QrLink';
import { usePagedList } from './usePagedList';

export interface ConflictItem {
  id: number;
  eventId: string;
  kind: 'child_in_other_parent' | 'event_id_reused';
  childQr: string | null;
  parentQr: string | null;
  existingParentQr: string | null;
  detail: { table?: string } | null;
  detectedAt: string;
  areaId: number | null;
}

function Conflict({ item }: { item: ConflictItem }) {
  return (
    <li class="conflict" data-testid="conflict">
      <span class={`chip ${item.kind === 'event_id_reused' ? 'chip-bad' : 'chip-warn'}`}>
        {item.kind === 'event_id_reused' ? t('conflicts.reused') : t('conflicts.otherParent')}
      </span>{' '}
      {item.kind === 'child_in_other_parent' ? (
        <span>
          <QrLink qr={item.childQr} /> → <QrLink qr={item.parentQr} />: {t('conflicts.otherParentText')} <QrLink qr={item.existingParentQr} />
        </span>
      ) : (
        <span>
          {item.childQr && (
            <>
              <QrLink qr={item.childQr} /> →{' '}
            </>
          )}
          <QrLink qr={item.parentQr} />: {t('conflicts.reusedText', { table: item.detail?.table ?? '—' })}
        </span>
      )}
      <small class="muted">
        {' '}
        · {formatDateTime(item.detectedAt)} · <code>{item.eventId}</code>
      </small>
    </li>
  );
}

/** Who acts on conflicts: supervisors (their own area) and admins. */
const SEES_CONFLICTS = new Set(['supervisor', 'admin']);

export function ConflictsPanel({ areaId }: { areaId?: string }) {
  const role = currentUser.value?.role;
  const allowed = role !== undefined && SEES_CONFLICTS.has(role);
  const list = usePagedList<ConflictItem>('/api/conflicts', query({ areaId: role === 'supervisor' ? undefined : areaId, limit: 20 }), allowed);
  if (!allowed) return null;
  if (list.items.length === 0 && !list.error) return null;
  return (
    <section class="card conflicts" aria-labelledby="conflicts-title" data-testid="conflicts">
      <div class="screen-head">
        <h2 id="conflicts-title">
          ⚠ {t('conflicts.title')} ({n(list.items.length)}
          {list.hasMore ? '+' : ''})
        </h2>
        <button type="button" class="button" onClick={list.reload}>
          {t('conflicts.refresh')}
        </button>
      </div>
      <p class="muted">{t('conflicts.intro')}</p>
      <ul class="conflict-list">
        {list.items.map((item) => (
          <Conflict key={item.id} item={item} />
        ))}
      </ul>
      <LoadMore list={list} />
    </section>
  );
}
