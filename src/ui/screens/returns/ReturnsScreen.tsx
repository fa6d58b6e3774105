// Return tickets (issue 13): the list with status chips and search, and the create form (receiving area and
// notes; the server makes the code). Creating opens the ticket, ready to scan.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../../api/client';
import type { ReturnListItem, ReturnTicket } from '../../api/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { LoadMore } from '../../components/LoadMore';
import { StatusChip } from '../../components/StatusChip';
import { useDebounced } from '../../components/useDebounced';
import { usePagedList } from '../../components/usePagedList';
import { formatDateTime, formatKg, formatNumber } from '../../format';
import { t } from '../../i18n';
import { filtersToQuery } from '../../lib/filters';
import { areaName, areas } from '../../state/areas';
import { currentUser } from '../../state/session';
import '../screens.css';

const STATUSES = [
  { value: '', label: 'returns.all' },
  { value: 'open', label: 'returns.open' },
  { value: 'finalized', label: 'returns.finalized' },
  { value: 'cancelled', label: 'returns.cancelled' },
] as const;

function CreateReturnForm({ onCreated }: { onCreated: (code: string) => void }) {
  const user = currentUser.value!;
  const [areaId, setAreaId] = useState(user.areaId ? String(user.areaId) : '');
  const [notes, setNotes] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const areaBad = tried && !areaId;
  const notesBad = tried && notes.trim().length > 500;

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (!areaId || notes.trim().length > 500) return;
    setBusy(true);
    setError(null);
    try {
      const body = await api<{ ticket: ReturnTicket }>('/api/returns', { method: 'POST', body: { areaId: Number(areaId), notes: notes.trim() || null } });
      onCreated(body.ticket.code);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form-grid" onSubmit={submit} aria-labelledby="new-return" noValidate data-testid="return-form">
      <h2 id="new-return">{t('returns.form.title')}</h2>
      <p class="muted">{t('returns.form.codeHint')}</p>
      <label class="field">
        {t('returns.form.area')}
        <select name="areaId" value={areaId} onChange={(e) => setAreaId((e.target as HTMLSelectElement).value)} aria-invalid={areaBad ? 'true' : undefined} aria-describedby={areaBad ? 'err-area' : undefined}>
          <option value="">—</option>
          {areas.value.map((a) => (
            <option key={a.id} value={String(a.id)}>
              {a.name}
            </option>
          ))}
        </select>
        {areaBad && (
          <span class="field-error" id="err-area">
            {t('returns.form.areaRule')}
          </span>
        )}
      </label>
      <label class="field">
        {t('returns.form.notes')}
        <textarea name="notes" value={notes} maxLength={500} rows={2} onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)} aria-invalid={notesBad ? 'true' : undefined} />
        {notesBad && <span class="field-error">{t('returns.form.notesRule')}</span>}
      </label>
      <ErrorBanner error={error} />
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? t('returns.form.creating') : t('returns.form.create')}
        </button>
      </div>
    </form>
  );
}

export default function ReturnsScreen() {
  const { route } = useLocation();
  const user = currentUser.value!;
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const list = usePagedList<ReturnListItem>('/api/returns', filtersToQuery({ status, q: useDebounced(q) }));
  const canCreate = user.role === 'biller' || user.role === 'admin';

  return (
    <section>
      <div class="screen-head">
        <h1>{t('returns.title')}</h1>
        {canCreate && (
          <button type="button" class="button button-primary" onClick={() => setCreating(!creating)} aria-expanded={creating}>
            {creating ? t('returns.closeForm') : t('returns.new')}
          </button>
        )}
      </div>
      <p class="muted">{t('returns.intro')}</p>
      {creating && <CreateReturnForm onCreated={(code) => route(`/returns/${encodeURIComponent(code)}`)} />}
      <div class="filters">
        <div class="chips" role="group" aria-label={t('returns.filterStatus')}>
          {STATUSES.map((s) => (
            <button key={s.value} type="button" class="button chip-button" aria-pressed={status === s.value} onClick={() => setStatus(s.value)}>
              {t(s.label)}
            </button>
          ))}
        </div>
        <label class="field">
          {t('returns.search')}
          <input type="search" value={q} placeholder={t('returns.searchPlaceholder')} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <div class="table-wrap table-wrap-stack">
        <table class="table-stack" data-testid="returns-table">
          <thead>
            <tr>
              <th scope="col">{t('returns.code')}</th>
              <th scope="col">{t('returns.status')}</th>
              <th scope="col">{t('returns.area')}</th>
              <th scope="col" class="num">
                {t('returns.parents')}
              </th>
              <th scope="col" class="num">
                {t('returns.children')}
              </th>
              <th scope="col" class="num">
                {t('returns.weight')}
              </th>
              <th scope="col">{t('returns.created')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((r) => (
              <tr key={r.code}>
                <td data-label={t('returns.code')} class="code">
                  <a href={`/returns/${encodeURIComponent(r.code)}`}>{r.code}</a>
                </td>
                <td data-label={t('returns.status')}>
                  <StatusChip status={r.status} />
                </td>
                <td data-label={t('returns.area')}>{areaName(r.areaId)}</td>
                <td class="num" data-label={t('returns.parents')}>
                  {formatNumber(r.parentCount)}
                </td>
                <td class="num" data-label={t('returns.children')}>
                  {formatNumber(r.childCount)}
                </td>
                <td class="num" data-label={t('returns.weight')}>
                  {formatKg(r.weightKg)}
                </td>
                <td data-label={t('returns.created')}>
                  {formatDateTime(r.createdAt)} {r.createdBy ? `· ${r.createdBy}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!list.loading && !list.error && list.items.length === 0 && <p class="banner banner-info">ℹ {t('returns.none')}</p>}
      <LoadMore list={list} />
    </section>
  );
}
