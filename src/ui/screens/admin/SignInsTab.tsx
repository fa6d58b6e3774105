// Admin: throttled sign-ins (GET /api/admin/sign-in-throttles). A username that failed too often from one
// network, or a whole network, waits before its next try; an admin who knows it is the real person (a user
// who mistyped behind a shared NAT, say) clears it. Clearing asks first and is audited on the server.
import { useState } from 'preact/hooks';
import { api, query } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { LoadMore } from '../../components/LoadMore';
import { StackTable } from '../../components/StackTable';
import { useDebounced } from '../../components/useDebounced';
import { useNow } from '../../components/useNow';
import { usePagedList } from '../../components/usePagedList';
import { formatDateTime } from '../../format';
import { n, t } from '../../i18n';

export interface ThrottleItem {
  scope: 'account' | 'network';
  network: string;
  username: string | null;
  userId: number | null;
  failures: number;
  lastFailureAt: string;
  blockedUntil: string | null;
}

const who = (item: ThrottleItem) =>
  item.scope === 'account' ? t('throttles.whoAccount', { name: item.username ?? '', network: item.network }) : t('throttles.whoNetwork', { network: item.network });

export function SignInsTab() {
  const [username, setUsername] = useState('');
  const typed = useDebounced(username.trim(), 300);
  const list = usePagedList<ThrottleItem>('/api/admin/sign-in-throttles', query({ username: typed }));
  const [confirm, setConfirm] = useState<ThrottleItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const now = useNow(1000);

  const clear = async (item: ThrottleItem) => {
    setError(null);
    setNotice(null);
    try {
      const body = item.scope === 'account' ? { username: item.username, network: item.network } : { network: item.network };
      await api('/api/admin/sign-in-throttles/clear', { body });
      setNotice(t('throttles.cleared', { who: who(item) }));
      list.reload();
    } catch (err) {
      setError(err);
    }
  };

  const waiting = (item: ThrottleItem) => {
    const until = item.blockedUntil ? Date.parse(item.blockedUntil) : 0;
    const seconds = Math.ceil((until - now) / 1000);
    return seconds > 0 ? t('throttles.waits', { seconds }) : t('throttles.mayTry');
  };

  return (
    <div>
      <div class="screen-head">
        <h1>{t('throttles.title')}</h1>
        <button type="button" class="button" onClick={list.reload}>
          {t('throttles.refresh')}
        </button>
      </div>
      <p class="muted">{t('throttles.intro')}</p>
      {notice && (
        <p class="banner banner-ok" role="status">
          ✔ {notice}
        </p>
      )}
      <ErrorBanner error={error} />
      <div class="filters">
        <label class="field">
          {t('throttles.username')}
          <input name="throttle-username" value={username} autoCapitalize="none" spellcheck={false} onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <StackTable
        testId="throttles-table"
        columns={[
          {
            label: t('throttles.who'),
            cell: (item) => (
              <>
                <span class={`chip ${item.scope === 'account' ? 'chip-info' : 'chip-warn'}`}>{item.scope === 'account' ? t('throttles.account') : t('throttles.network')}</span>{' '}
                {item.username !== null && <strong>{item.username}</strong>} <small class="muted">{item.network}</small>
                {item.scope === 'account' && item.userId === null && <small class="muted"> · {t('throttles.noSuchUser')}</small>}
              </>
            ),
          },
          { label: t('throttles.failures'), cell: (item) => n(item.failures) },
          { label: t('throttles.last'), cell: (item) => formatDateTime(item.lastFailureAt) },
          { label: t('throttles.state'), cell: waiting },
          {
            label: t('throttles.clear'),
            action: true,
            cell: (item) => (
              <button type="button" class="button" aria-label={t('throttles.clearWho', { who: who(item) })} onClick={() => setConfirm(item)}>
                {t('throttles.clear')}
              </button>
            ),
          },
        ]}
        rows={list.items}
        rowKey={(item) => `${item.scope}|${item.network}|${item.username ?? ''}`}
      />
      <LoadMore list={list} />
      <ConfirmDialog
        open={confirm !== null}
        title={confirm ? t('throttles.confirm', { who: who(confirm) }) : ''}
        confirmLabel={t('throttles.doClear')}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          const item = confirm;
          setConfirm(null);
          if (item) void clear(item);
        }}
      >
        <p>{t('throttles.confirmText')}</p>
      </ConfirmDialog>
    </div>
  );
}
