// One bill: its parents with child counts, actual vs expected weight with the variance highlighted, scanning
// parents in, removing them, finalize (with a confirm) and reopen (admins).
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api } from '../../api/client';
import type { Bill } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { StatusChip } from '../../components/StatusChip';
import { formatDateTime, formatKg, formatNumber } from '../../format';
import { currentUser } from '../../state/session';
import { weightVariance } from './bill-scan';
import { BillScanner } from './BillScanner';
import { useBill } from './useBill';
import '../screens.css';

export function BillSummary({ bill }: { bill: Bill }) {
  const v = weightVariance(bill.actualWeightKg, bill.expectedWeightKg);
  const sign = (n: number) => (n > 0 ? '+' : '');
  return (
    <dl class="facts">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusChip status={bill.status} /> {bill.finalized && <StatusChip status="finalized" />}
        </dd>
      </div>
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
      <div>
        <dt>Expected weight</dt>
        <dd>{formatKg(bill.expectedWeightKg)}</dd>
      </div>
      <div>
        <dt>Actual weight</dt>
        <dd>{formatKg(bill.actualWeightKg)}</dd>
      </div>
      <div>
        <dt>Variance</dt>
        <dd class={`variance variance-${v.level}`}>
          {v.kg === null ? '—' : `${sign(v.kg)}${formatKg(v.kg)}${v.percent === null ? '' : ` (${sign(v.percent)}${formatNumber(v.percent, 1)} %)`}`}
          {v.level === 'bad' && ' ⚠'}
        </dd>
      </div>
      {bill.description && (
        <div>
          <dt>Description</dt>
          <dd>{bill.description}</dd>
        </div>
      )}
      {bill.finalizedAt && (
        <div>
          <dt>Finalized</dt>
          <dd>{formatDateTime(bill.finalizedAt)}</dd>
        </div>
      )}
    </dl>
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
      {/* First on the screen, so a scan's answer is in view on a phone; a scan also dismisses a confirmation
          still open (the operator has moved on) and is recorded. */}
      {canEdit && !bill.finalized && <BillScanner billNo={bill.billNo} onScan={() => setPending(null)} onScanned={() => void reload()} />}
      <div class="card">
        <BillSummary bill={bill} />
        {bill.stale && <p class="banner banner-warn">⚠ Some child counts could not be read just now; the last known ones are shown.</p>}
        <progress max={bill.capacity} value={bill.parentCount} aria-label={`${bill.parentCount} of ${bill.capacity} parents`} />
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
      {bill.finalized && <p class="banner banner-info">ℹ This bill is finalized: its parents cannot change{user.role === 'admin' ? ' unless you reopen it' : ''}.</p>}
      <h2>Parent bags ({formatNumber(parents.length)})</h2>
      <div class="table-wrap">
        <table data-testid="bill-parents">
          <thead>
            <tr>
              <th>Parent</th>
              <th class="num">Children</th>
              {canEdit && !bill.finalized && <th>Remove</th>}
            </tr>
          </thead>
          <tbody>
            {parents.map((p) => (
              <tr key={p.qr}>
                <td>
                  <a href={`/lookup/${encodeURIComponent(p.qr)}`}>{p.qr}</a>
                </td>
                <td class="num">{formatNumber(p.childCount)}</td>
                {canEdit && !bill.finalized && (
                  <td>
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
            ? `${bill.parentCount} of ${bill.capacity} parent bags. After finalizing, parents cannot be added or removed.`
            : pending?.kind === 'reopen'
              ? 'Parents can then be added and removed again. This is recorded in the audit log.'
              : 'The parent bag leaves this bill and can be added to another.'}
        </p>
      </ConfirmDialog>
    </section>
  );
}
