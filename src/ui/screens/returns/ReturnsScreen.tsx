// Return tickets (issue 13): the list with status chips and search, and the create form (receiving area and
// notes; the server makes the code). Creating opens the ticket, ready to scan.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../../api/client';
import type { ReturnListItem, ReturnTicket } from '../../api/types';
import { ListCreateScreen } from '../../components/ListCreateScreen';
import type { Column } from '../../components/StackTable';
import { StatusChip } from '../../components/StatusChip';
import { SubmitRow } from '../../components/SubmitRow';
import { formatDateTime, formatKg, formatNumber } from '../../format';
import { t } from '../../i18n';
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
      <SubmitRow error={error} busy={busy} label={t('returns.form.create')} busyLabel={t('returns.form.creating')} />
    </form>
  );
}

export default function ReturnsScreen() {
  const { route } = useLocation();
  const user = currentUser.value!;
  const canCreate = user.role === 'biller' || user.role === 'admin';
  const columns: Array<Column<ReturnListItem>> = [
    { label: t('returns.code'), code: true, cell: (r) => <a href={`/returns/${encodeURIComponent(r.code)}`}>{r.code}</a> },
    { label: t('returns.status'), cell: (r) => <StatusChip status={r.status} /> },
    { label: t('returns.area'), cell: (r) => areaName(r.areaId) },
    { label: t('returns.parents'), numeric: true, cell: (r) => formatNumber(r.parentCount) },
    { label: t('returns.children'), numeric: true, cell: (r) => formatNumber(r.childCount) },
    { label: t('returns.weight'), numeric: true, cell: (r) => formatKg(r.weightKg) },
    { label: t('returns.created'), cell: (r) => `${formatDateTime(r.createdAt)} ${r.createdBy ? `· ${r.createdBy}` : ''}` },
  ];

  return (
    <ListCreateScreen
      title={t('returns.title')}
      intro={t('returns.intro')}
      create={canCreate ? { open: t('returns.new'), close: t('returns.closeForm'), form: () => <CreateReturnForm onCreated={(code) => route(`/returns/${encodeURIComponent(code)}`)} /> } : undefined}
      statuses={STATUSES.map((s) => ({ value: s.value, label: t(s.label), query: { status: s.value } }))}
      statusesLabel={t('returns.filterStatus')}
      search={{ label: t('returns.search'), placeholder: t('returns.searchPlaceholder') }}
      path="/api/returns"
      columns={columns}
      rowKey={(r) => r.code}
      testId="returns-table"
      empty={t('returns.none')}
    />
  );
}
