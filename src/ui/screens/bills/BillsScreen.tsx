// Bills: a searchable list with status chips, and the create form for billers and admins.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../../api/client';
import type { Bill } from '../../api/types';
import { ErrorBanner, fieldErrors } from '../../components/ErrorBanner';
import { LoadMore } from '../../components/LoadMore';
import { StatusChip } from '../../components/StatusChip';
import { usePagedList } from '../../components/usePagedList';
import { useDebounced } from '../../components/useDebounced';
import { formatDateTime, formatNumber } from '../../format';
import { filtersToQuery } from '../../lib/filters';
import { currentUser } from '../../state/session';
import '../screens.css';

const STATUSES: Array<{ value: string; label: string; query: Record<string, string> }> = [
  { value: '', label: 'All', query: {} },
  { value: 'open', label: 'Not finalized', query: { finalized: 'false' } },
  { value: 'empty', label: 'Empty', query: { status: 'empty' } },
  { value: 'in_progress', label: 'In progress', query: { status: 'in_progress' } },
  { value: 'completed', label: 'Completed', query: { status: 'completed' } },
  { value: 'finalized', label: 'Finalized', query: { finalized: 'true' } },
];

function CreateBillForm({ onCreated }: { onCreated: (billNo: string) => void }) {
  const [form, setForm] = useState({ billNo: '', destination: '', vehicleNo: '', description: '', capacity: '10' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error, Object.keys(form));
  // An existing bill number is a 409 about that field.
  if (error instanceof ApiError && error.code === 'CONFLICT') errors.billNo = error.message;
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        billNo: form.billNo.trim(),
        destination: form.destination.trim(),
        vehicleNo: form.vehicleNo.trim(),
        ...(form.description.trim() ? { description: form.description.trim() } : {}),
        capacity: Number(form.capacity),
      };
      const { bill } = await api<{ bill: Bill }>('/api/bills', { body });
      onCreated(bill?.billNo ?? body.billNo);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof typeof form, label: string, props: Record<string, unknown> = {}) => (
    <label class="field">
      {label}
      <input name={k} value={form[k]} onInput={set(k)} aria-invalid={errors[k] ? 'true' : undefined} aria-describedby={errors[k] ? `err-${k}` : undefined} {...props} />
      {errors[k] && (
        <span class="field-error" id={`err-${k}`}>
          {errors[k]}
        </span>
      )}
    </label>
  );

  return (
    <form class="card form-grid" onSubmit={submit} aria-labelledby="new-bill">
      <h2 id="new-bill">New bill</h2>
      {field('billNo', 'Bill number', { required: true, maxLength: 64, autoCapitalize: 'characters' })}
      {field('destination', 'Destination', { required: true, maxLength: 200 })}
      {field('vehicleNo', 'Vehicle number', { required: true, maxLength: 32, autoCapitalize: 'characters' })}
      {field('capacity', 'Capacity (parent bags, 1–50)', { type: 'number', min: 1, max: 50, required: true, inputMode: 'numeric' })}
      {field('description', 'Description (optional)', { maxLength: 500 })}
      <ErrorBanner error={Object.keys(errors).length ? null : error} />
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create bill'}
        </button>
      </div>
    </form>
  );
}

export default function BillsScreen() {
  const { route } = useLocation();
  const user = currentUser.value!;
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const list = usePagedList<Bill>('/api/bills', filtersToQuery({ ...STATUSES.find((s) => s.value === status)?.query, q: useDebounced(q) }));
  const canCreate = user.role === 'biller' || user.role === 'admin';

  return (
    <section>
      <div class="screen-head">
        <h1>Bills</h1>
        {canCreate && (
          <button type="button" class="button button-primary" onClick={() => setCreating(!creating)} aria-expanded={creating}>
            {creating ? 'Close' : '+ New bill'}
          </button>
        )}
      </div>
      {creating && <CreateBillForm onCreated={(billNo) => route(`/bills/${encodeURIComponent(billNo)}`)} />}
      <div class="filters">
        <div class="chips" role="group" aria-label="Status">
          {STATUSES.map((s) => (
            <button key={s.value} type="button" class="button chip-button" aria-pressed={status === s.value} onClick={() => setStatus(s.value)}>
              {s.label}
            </button>
          ))}
        </div>
        <label class="field">
          Search
          <input type="search" value={q} placeholder="Bill number, destination, vehicle" onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <div class="table-wrap table-wrap-stack">
        <table class="table-stack" data-testid="bills-table">
          <thead>
            <tr>
              <th scope="col">Bill</th>
              <th scope="col">Status</th>
              <th scope="col">Destination</th>
              <th scope="col">Vehicle</th>
              <th scope="col" class="num">
                Parents
              </th>
              <th scope="col" class="num">
                Children
              </th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((b) => (
              <tr key={b.billNo}>
                <td data-label="Bill" class="code">
                  <a href={`/bills/${encodeURIComponent(b.billNo)}`}>{b.billNo}</a>
                </td>
                <td data-label="Status">
                  <span class="chip-row">
                    <StatusChip status={b.status} /> {b.finalized && <StatusChip status="finalized" />}
                  </span>
                </td>
                <td data-label="Destination">{b.destination}</td>
                <td data-label="Vehicle">{b.vehicleNo}</td>
                <td class="num" data-label="Parents">
                  {formatNumber(b.parentCount)} / {formatNumber(b.capacity)}
                </td>
                <td class="num" data-label="Children">
                  {formatNumber(b.childCount)}
                </td>
                <td data-label="Created">{formatDateTime(b.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore list={list} noun="bills" />
    </section>
  );
}
