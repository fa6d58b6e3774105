// Bills: a searchable list with status chips, and the create form for billers and admins.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../../api/client';
import type { Bill, BillListItem } from '../../api/types';
import { fieldErrors } from '../../components/ErrorBanner';
import { ListCreateScreen } from '../../components/ListCreateScreen';
import type { Column } from '../../components/StackTable';
import { StatusChip } from '../../components/StatusChip';
import { SubmitRow } from '../../components/SubmitRow';
import { formatDateTime, formatNumber } from '../../format';
import { t, type MessageKey } from '../../i18n';
import { currentUser } from '../../state/session';
import '../screens.css';

const STATUSES = [
  { value: '', label: 'bills.all', query: {} },
  { value: 'open', label: 'bills.open', query: { finalized: 'false' } },
  { value: 'empty', label: 'bills.empty', query: { status: 'empty' } },
  { value: 'in_progress', label: 'bills.inProgress', query: { status: 'in_progress' } },
  { value: 'completed', label: 'bills.completed', query: { status: 'completed' } },
  { value: 'finalized', label: 'bills.finalized', query: { finalized: 'true' } },
] as const satisfies ReadonlyArray<{ value: string; label: MessageKey; query: Record<string, string> }>;

type BillForm = { billNo: string; destination: string; vehicleNo: string; description: string; capacity: string };
const BILL_NO = /^[A-Z0-9][A-Z0-9._-]{0,39}$/;

/** Which fields the bill's rules refuse, checked before sending (the server checks the same). */
function formProblems(f: BillForm): Partial<Record<keyof BillForm, true>> {
  const out: Partial<Record<keyof BillForm, true>> = {};
  if (!BILL_NO.test(f.billNo.trim().toUpperCase())) out.billNo = true;
  if (!f.destination.trim() || f.destination.trim().length > 120) out.destination = true;
  if (!f.vehicleNo.trim() || f.vehicleNo.trim().length > 32) out.vehicleNo = true;
  const cap = Number(f.capacity);
  if (!Number.isInteger(cap) || cap < 1 || cap > 50) out.capacity = true;
  if (f.description.trim().length > 500) out.description = true;
  return out;
}

const RULES: Record<keyof BillForm, Extract<MessageKey, `bills.form.${string}Rule`>> = {
  billNo: 'bills.form.billNoRule',
  destination: 'bills.form.destinationRule',
  vehicleNo: 'bills.form.vehicleRule',
  capacity: 'bills.form.capacityRule',
  description: 'bills.form.descriptionRule',
};

function CreateBillForm({ onCreated }: { onCreated: (billNo: string) => void }) {
  const [form, setForm] = useState<BillForm>({ billNo: '', destination: '', vehicleNo: '', description: '', capacity: '10' });
  const [error, setError] = useState<unknown>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const server = fieldErrors(error, Object.keys(form));
  // An existing bill number is a 409 about that field.
  const taken = error instanceof ApiError && error.code === 'CONFLICT';
  const local = tried ? formProblems(form) : {};
  const bad = (k: keyof BillForm) => !!local[k] || !!server[k] || (k === 'billNo' && taken);
  const set = (k: keyof BillForm) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    setError(null);
    if (Object.keys(formProblems(form)).length > 0) return;
    setBusy(true);
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

  const field = (k: keyof BillForm, label: string, props: Record<string, unknown> = {}) => (
    <label class="field">
      {label}
      <input name={k} value={form[k]} onInput={set(k)} aria-invalid={bad(k) ? 'true' : undefined} aria-describedby={bad(k) ? `err-${k}` : undefined} {...props} />
      {bad(k) && (
        <span class="field-error" id={`err-${k}`}>
          {k === 'billNo' && taken ? t('bills.form.billNoTaken') : t(RULES[k])}
        </span>
      )}
    </label>
  );
  const anyField = (Object.keys(form) as Array<keyof BillForm>).some(bad);

  return (
    <form class="card form-grid" onSubmit={submit} aria-labelledby="new-bill" noValidate>
      <h2 id="new-bill">{t('bills.form.title')}</h2>
      {field('billNo', t('bills.form.billNo'), { required: true, maxLength: 64, autoCapitalize: 'characters' })}
      {field('destination', t('bills.form.destination'), { required: true, maxLength: 200 })}
      {field('vehicleNo', t('bills.form.vehicle'), { required: true, maxLength: 32, autoCapitalize: 'characters' })}
      {field('capacity', t('bills.form.capacity'), { type: 'number', min: 1, max: 50, required: true, inputMode: 'numeric' })}
      {field('description', t('bills.form.description'), { maxLength: 500 })}
      <SubmitRow error={anyField ? null : error} busy={busy} label={t('bills.form.create')} busyLabel={t('bills.form.creating')} />
    </form>
  );
}

export default function BillsScreen() {
  const { route } = useLocation();
  const user = currentUser.value!;
  const canCreate = user.role === 'biller' || user.role === 'admin';
  const columns: Array<Column<BillListItem>> = [
    { label: t('bills.bill'), code: true, cell: (b) => <a href={`/bills/${encodeURIComponent(b.billNo)}`}>{b.billNo}</a> },
    {
      label: t('bills.status'),
      cell: (b) => (
        <span class="chip-row">
          <StatusChip status={b.status} /> {b.finalized && <StatusChip status="finalized" />}
        </span>
      ),
    },
    { label: t('bills.destination'), cell: (b) => b.destination },
    { label: t('bills.vehicle'), cell: (b) => b.vehicleNo },
    { label: t('bills.parents'), numeric: true, cell: (b) => `${formatNumber(b.parentCount)} / ${formatNumber(b.capacity)}` },
    { label: t('bills.children'), numeric: true, cell: (b) => formatNumber(b.childCount) },
    { label: t('bills.created'), cell: (b) => formatDateTime(b.createdAt) },
  ];

  return (
    <ListCreateScreen
      title={t('bills.title')}
      create={canCreate ? { open: t('bills.new'), close: t('bills.closeForm'), form: () => <CreateBillForm onCreated={(billNo) => route(`/bills/${encodeURIComponent(billNo)}`)} /> } : undefined}
      statuses={STATUSES.map((s) => ({ ...s, label: t(s.label) }))}
      statusesLabel={t('bills.filterStatus')}
      search={{ label: t('bills.search'), placeholder: t('bills.searchPlaceholder') }}
      path="/api/bills"
      columns={columns}
      rowKey={(b) => b.billNo}
      testId="bills-table"
    />
  );
}
