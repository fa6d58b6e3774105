// One bill: why it has its status (by its rule), its parents with their own counts and state, the expected
// weight from those counts and, once weighed, the actual weight with the variance highlighted; scanning
// parents in, removing them, finalize (with a confirm) and reopen (admins).
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api } from '../../api/client';
import type { Bill } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner, fieldErrors } from '../../components/ErrorBanner';
import { StatusChip } from '../../components/StatusChip';
import { formatDateTime, formatKg, formatNumber } from '../../format';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { billAreas, billCompletion, weightVariance } from './bill-scan';
import { BillScanner } from './BillScanner';
import { useBill } from './useBill';
import '../screens.css';

/** The bill's status in words: what its rule says and why (UI.md "Bills"; PRODUCT.md: full or finalized). */
export function BillStatusLine({ bill }: { bill: Bill }) {
  const { reason, incompleteParents } = billCompletion(bill);
  const n = formatNumber(bill.parentCount);
  const cap = formatNumber(bill.capacity);
  return (
    <div class="bill-status" data-testid="bill-status">
      <p>
        <StatusChip status={bill.status} /> {bill.finalized && <StatusChip status="finalized" />}{' '}
        <span data-testid="bill-status-reason">
          {reason === 'finalized'
            ? `Complete because it was finalized${bill.finalizedBy ? ` by ${bill.finalizedBy}` : ''}${bill.finalizedAt ? ` on ${formatDateTime(bill.finalizedAt)}` : ''}, with ${n} of ${cap} parent bags.`
            : reason === 'capacity'
              ? `Complete because all ${cap} parent bags it takes are on it. Finalize it to close it.`
              : bill.parentCount === 0
                ? `Empty: scan parent bags into it. It is complete at ${cap} parent bags, or when finalized.`
                : `In progress: ${n} of ${cap} parent bags. It is complete at ${cap}, or when finalized.`}
        </span>
      </p>
      {incompleteParents.length > 0 && (
        <p class="banner banner-warn" data-testid="bill-incomplete-parents">
          ⚠ {incompleteParents.length === 1 ? `1 parent bag on this bill is not complete: ${incompleteParents[0]}.` : `${incompleteParents.length} parent bags on this bill are not complete: ${incompleteParents.join(', ')}.`}
        </p>
      )}
    </div>
  );
}

function sign(n: number): string {
  return n > 0 ? '+' : '';
}

/** Expected weight from the counts; actual and variance only once the load was weighed. */
export function BillWeights({ bill }: { bill: Bill }) {
  const actual = bill.actualWeightKg ?? null;
  const v = weightVariance(actual, bill.expectedWeightKg);
  return (
    <dl class="facts" data-testid="bill-weights">
      <div>
        <dt>Expected weight</dt>
        <dd>
          {formatKg(bill.expectedWeightKg)} <small class="muted">({formatNumber(bill.childCount)} child bags × 1 kg)</small>
        </dd>
      </div>
      <div>
        <dt>Actual weight</dt>
        <dd data-testid="bill-actual-weight">
          {actual === null ? (
            <span class="muted">not weighed yet</span>
          ) : (
            <>
              {formatKg(actual)}{' '}
              <small class="muted">
                ({bill.weightSource === 'weighbridge' ? 'weighbridge' : 'entered'}
                {bill.weighedBy ? ` by ${bill.weighedBy}` : ''}
                {bill.weighedAt ? `, ${formatDateTime(bill.weighedAt)}` : ''})
              </small>
            </>
          )}
        </dd>
      </div>
      {v.kg !== null && (
        <div>
          <dt>Variance</dt>
          <dd class={`variance variance-${v.level}`} data-testid="bill-variance">
            {v.level === 'bad' ? '⚠ ' : v.level === 'warn' ? '▲ ' : '✔ '}
            {`${sign(v.kg)}${formatKg(v.kg)}${v.percent === null ? '' : ` (${sign(v.percent)}${formatNumber(v.percent, 1)} %)`}`}
          </dd>
        </div>
      )}
    </dl>
  );
}

export function BillSummary({ bill }: { bill: Bill }) {
  const areasOf = billAreas(bill);
  return (
    <>
      <BillStatusLine bill={bill} />
      <dl class="facts">
        <div>
          <dt>Destination</dt>
          <dd>{bill.destination}</dd>
        </div>
        <div>
          <dt>Vehicle</dt>
          <dd>{bill.vehicleNo}</dd>
        </div>
        <div>
          <dt>Parents</dt>
          <dd data-testid="bill-parent-count">
            {formatNumber(bill.parentCount)} / {formatNumber(bill.capacity)}
          </dd>
        </div>
        <div>
          <dt>Child bags</dt>
          <dd>{formatNumber(bill.childCount)}</dd>
        </div>
        {areasOf.length > 0 && (
          <div>
            <dt>Dispatch area</dt>
            <dd>{areasOf.map((id) => areaName(id)).join(', ')}</dd>
          </div>
        )}
        <div>
          <dt>Description</dt>
          <dd>{bill.description || <span class="muted">—</span>}</dd>
        </div>
      </dl>
      <BillWeights bill={bill} />
    </>
  );
}

/** The actual weight, typed from the weighbridge's display (a weighbridge device sets it through the API). */
function WeightForm({ bill, onSaved }: { bill: Bill; onSaved: () => void }) {
  const [value, setValue] = useState(bill.actualWeightKg == null ? '' : String(bill.actualWeightKg));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error, ['actualWeightKg']);
  const save = async (clear: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const kg = clear ? null : Number(value.replace(',', '.'));
      await api(`/api/bills/${encodeURIComponent(bill.billNo)}`, { method: 'PATCH', body: { actualWeightKg: kg, weightSource: 'manual' } });
      if (clear) setValue('');
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="manual-entry weight-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) void save(false);
      }}
    >
      <label class="field">
        Actual weight (kg), from the weighbridge
        <input
          name="actualWeightKg"
          inputMode="decimal"
          value={value}
          pattern="[0-9]+([.,][0-9]{1,2})?"
          autoComplete="off"
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          aria-invalid={errors.actualWeightKg ? 'true' : undefined}
        />
        {errors.actualWeightKg && <span class="field-error">{errors.actualWeightKg}</span>}
      </label>
      <button type="submit" class="button button-primary" disabled={busy || !value.trim()}>
        Save weight
      </button>
      {bill.actualWeightKg != null && (
        <button type="button" class="button" disabled={busy} onClick={() => void save(true)}>
          Clear
        </button>
      )}
      <ErrorBanner error={Object.keys(errors).length ? null : error} />
    </form>
  );
}

type Pending = { kind: 'finalize' } | { kind: 'reopen' } | { kind: 'remove'; qr: string } | null;

export default function BillScreen() {
  const { params } = useRoute();
  const billNo = decodeURIComponent(params.billNo ?? '');
  const { bill, error, loading, reload, connected } = useBill(billNo);
  const user = currentUser.value!;
  const [pending, setPending] = useState<Pending>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const canEdit = user.role === 'biller' || user.role === 'admin';

  const act = async () => {
    const p = pending;
    setPending(null);
    if (!p) return;
    setActionError(null);
    const base = `/api/bills/${encodeURIComponent(billNo)}`;
    try {
      if (p.kind === 'remove') await api(`${base}/parents/${encodeURIComponent(p.qr)}`, { method: 'DELETE' });
      else await api(`${base}/${p.kind}`, { method: 'POST', body: {} });
    } catch (err) {
      setActionError(err);
    }
    await reload();
  };

  if (loading && !bill) return <p class="loading">Loading bill…</p>;
  if (!bill) return <ErrorBanner error={error} />;
  const parents = bill.parents ?? [];
  const incomplete = billCompletion(bill).incompleteParents.length;

  return (
    <section>
      <div class="screen-head">
        <div class="title-line">
          <h1>Bill {bill.billNo}</h1>
          <span class={`chip chip-${connected ? 'ok' : 'muted'}`} role="status">
            {connected ? '● live' : '○ refreshes after each action'}
          </span>
        </div>
        <div class="actions">
          <a class="button" href={`/bills/${encodeURIComponent(bill.billNo)}/print`}>
            Print
          </a>
          <a class="button" href={`/api/export/bills/${encodeURIComponent(bill.billNo)}.csv`} download>
            ⇩ CSV
          </a>
        </div>
      </div>
      <div class="card">
        <BillSummary bill={bill} />
        {bill.stale && <p class="banner banner-warn">⚠ Some child counts could not be read just now; the last known ones are shown.</p>}
        <progress max={bill.capacity} value={bill.parentCount} aria-label={`${bill.parentCount} of ${bill.capacity} parents`} />
        {canEdit && <WeightForm key={`${bill.billNo}:${bill.actualWeightKg ?? ''}`} bill={bill} onSaved={() => void reload()} />}
        <ErrorBanner error={actionError} />
        {canEdit && (
          <div class="actions">
            {!bill.finalized && (
              <button type="button" class="button button-primary" onClick={() => setPending({ kind: 'finalize' })} disabled={bill.parentCount === 0}>
                ✔ Finalize
              </button>
            )}
            {bill.finalized && user.role === 'admin' && (
              <button type="button" class="button" onClick={() => setPending({ kind: 'reopen' })}>
                Reopen
              </button>
            )}
          </div>
        )}
      </div>
      {canEdit && !bill.finalized && <BillScanner billNo={bill.billNo} onScanned={() => void reload()} />}
      {bill.finalized && <p class="banner banner-info">ℹ This bill is finalized: its parents cannot change{user.role === 'admin' ? ' unless you reopen it' : ''}.</p>}
      <h2>Parent bags ({formatNumber(parents.length)})</h2>
      <div class="table-wrap table-wrap-stack">
        <table data-testid="bill-parents" class="table-stack">
          <thead>
            <tr>
              <th scope="col">Parent</th>
              <th scope="col" class="num">
                Children
              </th>
              <th scope="col">Status</th>
              <th scope="col">Area</th>
              {canEdit && !bill.finalized && (
                <th scope="col">
                  <span class="visually-hidden">Remove</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {parents.map((p) => (
              <tr key={p.qr} class={p.status === 'open' ? 'row-warn' : undefined} data-qr={p.qr}>
                <td data-label="Parent">
                  <a href={`/lookup/${encodeURIComponent(p.qr)}`}>{p.qr}</a>
                </td>
                <td class="num" data-label="Children">
                  {formatNumber(p.childCount)}
                  {p.capacity ? ` / ${formatNumber(p.capacity)}` : ''}
                </td>
                <td data-label="Status">{p.status === 'completed' ? <StatusChip status="completed" /> : p.status === 'open' ? <StatusChip status="not_complete" /> : '—'}</td>
                <td data-label="Area">{p.areaId == null ? '—' : areaName(p.areaId)}</td>
                {canEdit && !bill.finalized && (
                  <td class="cell-action">
                    <button type="button" class="button" aria-label={`Remove ${p.qr} from the bill`} onClick={() => setPending({ kind: 'remove', qr: p.qr })}>
                      ✖ Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {parents.length === 0 && <p class="muted">No parent bags on this bill yet.</p>}
      <ConfirmDialog
        open={pending !== null}
        title={pending?.kind === 'finalize' ? `Finalize bill ${bill.billNo}?` : pending?.kind === 'reopen' ? `Reopen bill ${bill.billNo}?` : `Remove ${pending?.kind === 'remove' ? pending.qr : ''}?`}
        confirmLabel={pending?.kind === 'finalize' ? 'Finalize' : pending?.kind === 'reopen' ? 'Reopen' : 'Remove'}
        danger={pending?.kind === 'remove'}
        onConfirm={() => void act()}
        onCancel={() => setPending(null)}
      >
        <p>
          {pending?.kind === 'finalize'
            ? `${bill.parentCount} of ${bill.capacity} parent bags${incomplete > 0 ? `, ${incomplete} of them not complete` : ''}. After finalizing, parents cannot be added or removed.`
            : pending?.kind === 'reopen'
              ? 'Parents can then be added and removed again. This is recorded in the audit log.'
              : 'The parent bag leaves this bill and can be added to another.'}
        </p>
      </ConfirmDialog>
    </section>
  );
}
