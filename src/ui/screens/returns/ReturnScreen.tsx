// One return ticket: receiving area, notes, totals (parents, children, weight returned), the returned parents
// with the bill each came off, scanning while open, and finalize / cancel behind a question. The cancel
// question says plainly that cancelling does not put the parents back on their bills.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, ApiError } from '../../api/client';
import type { ReturnTicket } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { StatusChip } from '../../components/StatusChip';
import { formatDateTime, formatKg, formatNumber } from '../../format';
import { t, tryT } from '../../i18n';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { ReturnScanner } from './ReturnScanner';
import '../screens.css';

export default function ReturnScreen() {
  const { params } = useRoute();
  const code = decodeURIComponent(params.code ?? '').toUpperCase();
  const user = currentUser.value!;
  const canWrite = user.role === 'biller' || user.role === 'admin';
  const [ticket, setTicket] = useState<ReturnTicket | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [asking, setAsking] = useState<'finalize' | 'cancel' | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      const body = await api<{ ticket: ReturnTicket }>(`/api/returns/${encodeURIComponent(code)}`);
      setTicket(body.ticket);
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)));
    }
  }, [code]);

  useEffect(() => {
    setTicket(null);
    void reload();
  }, [reload]);

  const close = async (what: 'finalize' | 'cancel') => {
    setAsking(null);
    setBusy(true);
    try {
      const body = await api<{ ticket: ReturnTicket }>(`/api/returns/${encodeURIComponent(code)}/${what}`, { method: 'POST' });
      setTicket(body.ticket);
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)));
    } finally {
      setBusy(false);
    }
  };

  const open = ticket?.status === 'open';
  return (
    <section>
      <div class="screen-head">
        <h1>{t('return.title', { code })}</h1>
        <a class="button" href="/returns">
          {t('return.back')}
        </a>
      </div>
      <ErrorBanner error={error} />
      {!ticket && !error && <p class="muted">{t('return.loading')}</p>}
      {ticket && (
        <>
          {/* First on the screen, as on the bill screen: a scan's answer is in view on a phone, and a scan
              dismisses a question still open (the operator has moved on) and is recorded. */}
          {canWrite && <ReturnScanner code={code} closed={!open} onScan={() => setAsking(null)} onScanned={() => void reload()} />}
          <div class="card" data-testid="return-summary">
            <p>
              <StatusChip status={ticket.status} />{' '}
              {ticket.status === 'finalized' && ticket.finalizedAt && t('return.finalizedBy', { at: formatDateTime(ticket.finalizedAt), name: ticket.finalizedBy ?? '' })}
              {ticket.status === 'cancelled' && ticket.cancelledAt && t('return.cancelledBy', { at: formatDateTime(ticket.cancelledAt), name: ticket.cancelledBy ?? '' })}
            </p>
            <dl class="facts">
              <div>
                <dt>{t('return.area')}</dt>
                <dd>{areaName(ticket.areaId)}</dd>
              </div>
              <div>
                <dt>{t('return.created')}</dt>
                <dd>{t('return.createdBy', { at: formatDateTime(ticket.createdAt), name: ticket.createdBy })}</dd>
              </div>
              {ticket.notes && (
                <div>
                  <dt>{t('return.notes')}</dt>
                  <dd>{ticket.notes}</dd>
                </div>
              )}
              <div>
                <dt>{t('return.totals')}</dt>
                <dd data-testid="return-totals">
                  {t('return.parentCount', { count: ticket.parentCount })} · {t('return.childCount', { count: ticket.childCount })}
                </dd>
              </div>
              <div>
                <dt>{t('return.weight')}</dt>
                <dd data-testid="return-weight">
                  {formatKg(ticket.weightKg)} <small class="muted">{t('return.weightHow', { count: ticket.childCount })}</small>
                </dd>
              </div>
            </dl>
            {canWrite && open && (
              <div class="actions">
                <button type="button" class="button button-primary" disabled={busy || ticket.parentCount === 0} onClick={() => setAsking('finalize')}>
                  {t('return.finalize')}
                </button>
                <button type="button" class="button button-danger" disabled={busy} onClick={() => setAsking('cancel')}>
                  {t('return.cancel')}
                </button>
              </div>
            )}
            {!open && <p class="banner banner-info">ℹ {t('return.closed', { status: tryT(`status.${ticket.status}`) ?? ticket.status })}</p>}
          </div>
          <div class="card">
            <h2>{t('return.parentsTitle')}</h2>
            {ticket.parents.length > 0 && (
              <p>
                <a class="button" href={`/api/export/returns.csv?code=${encodeURIComponent(code)}`} download>
                  {t('return.csv')}
                </a>
              </p>
            )}
            {ticket.parents.length === 0 ? (
              <p class="muted">{t('return.noParents')}</p>
            ) : (
              <div class="table-wrap table-wrap-stack">
                <table class="table-stack" data-testid="return-parents">
                  <thead>
                    <tr>
                      <th scope="col">{t('return.parent')}</th>
                      <th scope="col">{t('return.fromBill')}</th>
                      <th scope="col" class="num">
                        {t('return.childrenAtReturn')}
                      </th>
                      <th scope="col">{t('return.returnedAt')}</th>
                      <th scope="col">{t('return.by')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ticket.parents.map((p) => (
                      <tr key={p.qr}>
                        <td class="code" data-label={t('return.parent')}>
                          <a href={`/lookup/${encodeURIComponent(p.qr)}`}>{p.qr}</a>
                        </td>
                        <td class="code" data-label={t('return.fromBill')}>
                          <a href={`/bills/${encodeURIComponent(p.billNo)}`}>{p.billNo}</a> {p.billFinalized && <small class="muted">{t('return.billWasFinalized')}</small>}
                        </td>
                        <td class="num" data-label={t('return.childrenAtReturn')}>
                          {formatNumber(p.childCount)}
                        </td>
                        <td data-label={t('return.returnedAt')}>{formatDateTime(p.returnedAt)}</td>
                        <td data-label={t('return.by')}>{p.by}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          <ConfirmDialog
            open={asking === 'finalize'}
            title={t('return.confirmFinalize', { code })}
            confirmLabel={t('return.doFinalize')}
            onConfirm={() => void close('finalize')}
            onCancel={() => setAsking(null)}
          >
            <p>{t('return.finalizeText', { count: ticket.parentCount })}</p>
          </ConfirmDialog>
          <ConfirmDialog
            open={asking === 'cancel'}
            title={t('return.confirmCancel', { code })}
            confirmLabel={t('return.doCancel')}
            cancelLabel={t('return.keepOpen')}
            danger
            onConfirm={() => void close('cancel')}
            onCancel={() => setAsking(null)}
          >
            <p data-testid="cancel-warning">{t('return.cancelText', { count: ticket.parentCount })}</p>
          </ConfirmDialog>
        </>
      )}
    </section>
  );
}
