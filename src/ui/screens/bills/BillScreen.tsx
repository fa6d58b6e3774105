// One bill: why it has its status (by its rule), its parents with their own counts and state, the expected
// weight from those counts and, once weighed, the actual weight with the variance highlighted; scanning
// parents in, removing them, finalize (with a confirm) and reopen (admins).
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, ApiError } from '../../api/client';
import type { Bill } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner, fieldErrors } from '../../components/ErrorBanner';
import { StatusChip } from '../../components/StatusChip';
import { formatDateTime, formatKg, formatNumber } from '../../format';
import { t } from '../../i18n';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { billAreas, billCompletion, weightVariance } from './bill-view';
import { BillScanner } from './BillScanner';
import { useBill } from './useBill';
import '../screens.css';

/** The bill's status in words: what its rule says and why (UI.md "Bills"; PRODUCT.md: full or finalized). */
export function BillStatusLine({ bill }: { bill: Bill }) {
  const { reason, incompleteParents } = billCompletion(bill);
  const count = bill.parentCount;
  const capacity = bill.capacity;
  return (
    <div class="bill-status" data-testid="bill-status">
      <p>
        <StatusChip status={bill.status} /> {bill.finalized && <StatusChip status="finalized" />}{' '}
        <span data-testid="bill-status-reason">
          {reason === 'finalized'
            ? bill.finalizedBy && bill.finalizedAt
              ? t('bill.why.finalizedBy', { name: bill.finalizedBy, at: formatDateTime(bill.finalizedAt), count, capacity })
              : t('bill.why.finalized', { count, capacity })
            : reason === 'capacity'
              ? t('bill.why.capacity', { capacity })
              : count === 0
                ? t('bill.why.empty', { capacity })
                : t('bill.why.inProgress', { count, capacity })}
        </span>
      </p>
      {incompleteParents.length > 0 && (
        <p class="banner banner-warn" data-testid="bill-incomplete-parents">
          {t('bill.incomplete', { count: incompleteParents.length, list: incompleteParents.join(', ') })}
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
        <dt>{t('bill.expected')}</dt>
        <dd>
          {formatKg(bill.expectedWeightKg)} <small class="muted">{t('bill.expectedHow', { count: bill.childCount })}</small>
        </dd>
      </div>
      <div>
        <dt>{t('bill.actual')}</dt>
        <dd data-testid="bill-actual-weight">
          {actual === null ? (
            <span class="muted">{t('bill.notWeighed')}</span>
          ) : (
            <>
              {formatKg(actual)}{' '}
              <small class="muted">
                ({bill.weightSource === 'weighbridge' ? t('bill.weighbridge') : t('bill.entered')}
                {bill.weighedBy ? t('bill.weighedBy', { name: bill.weighedBy }) : ''}
                {bill.weighedAt ? `, ${formatDateTime(bill.weighedAt)}` : ''})
              </small>
            </>
          )}
        </dd>
      </div>
      {v.kg !== null && (
        <div>
          <dt>{t('bill.variance')}</dt>
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
          <dt>{t('bill.destination')}</dt>
          <dd>{bill.destination}</dd>
        </div>
        <div>
          <dt>{t('bill.vehicle')}</dt>
          <dd>{bill.vehicleNo}</dd>
        </div>
        <div>
          <dt>{t('bill.parents')}</dt>
          <dd data-testid="bill-parent-count">
            {formatNumber(bill.parentCount)} / {formatNumber(bill.capacity)}
          </dd>
        </div>
        <div>
          <dt>{t('bill.children')}</dt>
          <dd>{formatNumber(bill.childCount)}</dd>
        </div>
        {areasOf.length > 0 && (
          <div>
            <dt>{t('bill.area')}</dt>
            <dd>{areasOf.map((id) => areaName(id)).join(', ')}</dd>
          </div>
        )}
        <div>
          <dt>{t('bill.description')}</dt>
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
  const bad = !!fieldErrors(error, ['actualWeightKg']).actualWeightKg || (error instanceof ApiError && error.code === 'INVALID_INPUT');
  const save = async (clear: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const kg = clear ? null : Number(value.trim().replace(',', '.'));
      if (kg !== null && !(Number.isFinite(kg) && kg >= 0 && kg <= 100_000)) {
        setError(new ApiError(400, 'INVALID_INPUT', 'actualWeightKg'));
        return;
      }
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
        {t('bill.weightField')}
        <input
          name="actualWeightKg"
          inputMode="decimal"
          value={value}
          pattern="[0-9]+([.,][0-9]{1,2})?"
          autoComplete="off"
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          aria-invalid={bad ? 'true' : undefined}
        />
        {bad && <span class="field-error">{t('bill.weightRule')}</span>}
      </label>
      <button type="submit" class="button button-primary" disabled={busy || !value.trim()}>
        {t('bill.saveWeight')}
      </button>
      {bill.actualWeightKg != null && (
        <button type="button" class="button" disabled={busy} onClick={() => void save(true)}>
          {t('bill.clearWeight')}
        </button>
      )}
      <ErrorBanner error={bad ? null : error} />
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

  if (loading && !bill) return <p class="loading">{t('bill.loading')}</p>;
  if (!bill) return <ErrorBanner error={error} />;
  const parents = bill.parents ?? [];
  const incomplete = billCompletion(bill).incompleteParents.length;

  return (
    <section>
      <div class="screen-head">
        <div class="title-line">
          <h1>{t('bill.title', { billNo: bill.billNo })}</h1>
          <span class={`chip chip-${connected ? 'ok' : 'muted'}`} role="status">
            {connected ? t('bill.live') : t('bill.notLive')}
          </span>
        </div>
        <div class="actions">
          <a class="button" href={`/bills/${encodeURIComponent(bill.billNo)}/print`}>
            {t('bill.print')}
          </a>
          <a class="button" href={`/api/export/bills/${encodeURIComponent(bill.billNo)}.csv`} download>
            {t('bill.csv')}
          </a>
        </div>
      </div>
      {/* First on the screen, so a scan's answer is in view on a phone; a scan also dismisses a confirmation
          still open (the operator has moved on) and is recorded. */}
      {canEdit && !bill.finalized && <BillScanner billNo={bill.billNo} onScan={() => setPending(null)} onScanned={() => void reload()} />}
      <div class="card">
        <BillSummary bill={bill} />
        {bill.stale && <p class="banner banner-warn">{t('bill.stale')}</p>}
        <progress max={bill.capacity} value={bill.parentCount} aria-label={t('bill.progress', { count: bill.parentCount, capacity: bill.capacity })} />
        {canEdit && <WeightForm key={`${bill.billNo}:${bill.actualWeightKg ?? ''}`} bill={bill} onSaved={() => void reload()} />}
        <ErrorBanner error={actionError} />
        {canEdit && (
          <div class="actions">
            {!bill.finalized && (
              <button type="button" class="button button-primary" onClick={() => setPending({ kind: 'finalize' })} disabled={bill.parentCount === 0}>
                {t('bill.finalize')}
              </button>
            )}
            {bill.finalized && user.role === 'admin' && (
              <button type="button" class="button" onClick={() => setPending({ kind: 'reopen' })}>
                {t('bill.reopen')}
              </button>
            )}
          </div>
        )}
      </div>
      {bill.finalized && <p class="banner banner-info">{user.role === 'admin' ? t('bill.finalizedNoteAdmin') : t('bill.finalizedNote')}</p>}
      <h2>{t('bill.parentsTitle', { count: parents.length })}</h2>
      <div class="table-wrap table-wrap-stack">
        <table data-testid="bill-parents" class="table-stack">
          <thead>
            <tr>
              <th scope="col">{t('bill.parent')}</th>
              <th scope="col" class="num">
                {t('bill.children')}
              </th>
              <th scope="col">{t('bill.status')}</th>
              <th scope="col">{t('bill.area')}</th>
              {canEdit && !bill.finalized && (
                <th scope="col">
                  <span class="visually-hidden">{t('bill.removeColumn')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {parents.map((p) => (
              <tr key={p.qr} class={p.status === 'open' ? 'row-warn' : undefined} data-qr={p.qr}>
                <td data-label={t('bill.parent')}>
                  <a href={`/lookup/${encodeURIComponent(p.qr)}`}>{p.qr}</a>
                </td>
                <td class="num" data-label={t('bill.children')}>
                  {formatNumber(p.childCount)}
                  {p.capacity ? ` / ${formatNumber(p.capacity)}` : ''}
                </td>
                <td data-label={t('bill.status')}>{p.status === 'completed' ? <StatusChip status="completed" /> : p.status === 'open' ? <StatusChip status="not_complete" /> : '—'}</td>
                <td data-label={t('bill.area')}>{p.areaId == null ? '—' : areaName(p.areaId)}</td>
                {canEdit && !bill.finalized && (
                  <td class="cell-action">
                    <button type="button" class="button" aria-label={t('bill.removeLabel', { qr: p.qr })} onClick={() => setPending({ kind: 'remove', qr: p.qr })}>
                      {t('bill.remove')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {parents.length === 0 && <p class="muted">{t('bill.noParents')}</p>}
      {(bill.returned?.length ?? 0) > 0 && (
        <div class="card" data-testid="bill-returned">
          <h2>{t('bill.returnedTitle')}</h2>
          <ul>
            {bill.returned!.map((r) => (
              <li key={`${r.qr} ${r.ticketCode}`}>
                <StatusChip status="returned" />{' '}
                {t('bill.returnedLine', { qr: r.qr, count: r.childCount, at: formatDateTime(r.returnedAt), code: r.ticketCode, name: r.by })}{' '}
                <a href={`/returns/${encodeURIComponent(r.ticketCode)}`}>{r.ticketCode}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'finalize'
            ? t('bill.confirmFinalize', { billNo: bill.billNo })
            : pending?.kind === 'reopen'
              ? t('bill.confirmReopen', { billNo: bill.billNo })
              : t('bill.confirmRemove', { qr: pending?.kind === 'remove' ? pending.qr : '' })
        }
        confirmLabel={pending?.kind === 'finalize' ? t('bill.doFinalize') : pending?.kind === 'reopen' ? t('bill.doReopen') : t('bill.doRemove')}
        danger={pending?.kind === 'remove'}
        onConfirm={() => void act()}
        onCancel={() => setPending(null)}
      >
        <p>
          {pending?.kind === 'finalize'
            ? incomplete > 0
              ? t('bill.finalizeTextIncomplete', { count: bill.parentCount, capacity: bill.capacity, incomplete })
              : t('bill.finalizeText', { count: bill.parentCount, capacity: bill.capacity })
            : pending?.kind === 'reopen'
              ? t('bill.reopenText')
              : t('bill.removeText')}
        </p>
      </ConfirmDialog>
    </section>
  );
}
