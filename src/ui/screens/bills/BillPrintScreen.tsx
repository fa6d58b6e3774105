// A4 bill summary for the truck: one page, a QR of the bill number, the dispatch area, who finalized it,
// the description, totals and weights, the parents, the parents returned off it, signature lines. The print stylesheet (screens.css,
// @media print) hides the shell so only this sheet prints.
import { useRoute } from 'preact-iso';
import { ErrorBanner } from '../../components/ErrorBanner';
import { QrCode } from '../../components/QrCode';
import { formatDateTime, formatKg, formatNumber } from '../../format';
import { t } from '../../i18n';
import { areaName } from '../../state/areas';
import { billAreas, weightVariance } from './bill-view';
import { useBill } from './useBill';
import '../screens.css';

export default function BillPrintScreen() {
  const { params } = useRoute();
  const billNo = decodeURIComponent(params.billNo ?? '');
  const { bill, error, loading } = useBill(billNo, false);
  if (loading && !bill) return <p class="loading">{t('bill.loading')}</p>;
  if (!bill) return <ErrorBanner error={error} />;
  const parents = bill.parents ?? [];
  const returned = bill.returned ?? [];
  const areasOf = billAreas(bill);
  const actual = bill.actualWeightKg ?? null;
  const v = weightVariance(actual, bill.expectedWeightKg);
  return (
    <section class="print-sheet" aria-label={t('print.label', { billNo: bill.billNo })}>
      <div class="no-print actions">
        <a class="button" href={`/bills/${encodeURIComponent(bill.billNo)}`}>
          {t('print.back')}
        </a>
        <button type="button" class="button button-primary" onClick={() => window.print()}>
          {t('print.print')}
        </button>
      </div>
      <header class="print-head">
        <div>
          <h1>{t('print.title', { billNo: bill.billNo })}</h1>
          <p data-testid="print-area">
            {t('print.area')} <strong>{areasOf.length ? areasOf.map((id) => areaName(id)).join(', ') : '—'}</strong>
          </p>
          <p data-testid="print-finalized">
            {bill.finalized ? t('print.finalizedBy', { name: bill.finalizedBy ?? '—', at: formatDateTime(bill.finalizedAt) }) : t('print.draft')} ·{' '}
            {t('print.printed', { at: formatDateTime(new Date()) })}
          </p>
        </div>
        <QrCode value={bill.billNo} size={120} label={t('print.qr', { billNo: bill.billNo })} />
      </header>
      <table class="print-facts">
        <tbody>
          <tr>
            <th>{t('bill.destination')}</th>
            <td>{bill.destination}</td>
            <th>{t('bill.vehicle')}</th>
            <td>{bill.vehicleNo}</td>
          </tr>
          <tr>
            <th>{t('bill.description')}</th>
            <td colSpan={3} data-testid="print-description">
              {bill.description || '—'}
            </td>
          </tr>
          <tr>
            <th>{t('print.parentBags')}</th>
            <td>
              {formatNumber(bill.parentCount)} / {formatNumber(bill.capacity)}
            </td>
            <th>{t('bill.children')}</th>
            <td>{formatNumber(bill.childCount)}</td>
          </tr>
          <tr>
            <th>{t('bill.expected')}</th>
            <td>{formatKg(bill.expectedWeightKg)}</td>
            <th>{t('bill.actual')}</th>
            {/* Not weighed yet: a line to write the weighbridge's reading on. */}
            <td data-testid="print-actual">{actual === null ? t('print.writeWeight') : `${formatKg(actual)}${bill.weightSource === 'weighbridge' ? t('print.fromWeighbridge') : ''}`}</td>
          </tr>
          {v.kg !== null && (
            <tr>
              <th>{t('bill.variance')}</th>
              <td colSpan={3}>
                {v.kg > 0 ? '+' : ''}
                {formatKg(v.kg)}
                {v.percent === null ? '' : ` (${v.percent > 0 ? '+' : ''}${formatNumber(v.percent, 1)} %)`}
              </td>
            </tr>
          )}
          <tr>
            <th>{t('bills.created')}</th>
            <td colSpan={3}>
              {bill.createdBy ? t('print.createdBy', { at: formatDateTime(bill.createdAt), name: bill.createdBy }) : formatDateTime(bill.createdAt)}
            </td>
          </tr>
        </tbody>
      </table>
      <table class="print-parents">
        <thead>
          <tr>
            <th>{t('print.number')}</th>
            <th>{t('print.parentBag')}</th>
            <th>{t('bill.area')}</th>
            <th class="num">{t('bill.children')}</th>
          </tr>
        </thead>
        <tbody>
          {parents.map((p, i) => (
            <tr key={p.qr}>
              <td>{i + 1}</td>
              <td>
                {p.qr}
                {p.status === 'open' ? t('print.notComplete') : ''}
              </td>
              <td>{p.areaId == null ? '—' : areaName(p.areaId)}</td>
              <td class="num">
                {formatNumber(p.childCount)}
                {p.capacity ? ` / ${formatNumber(p.capacity)}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th colSpan={3}>{t('print.total')}</th>
            <th class="num">{formatNumber(bill.childCount)}</th>
          </tr>
        </tfoot>
      </table>
      {/* Parents a return ticket took off this bill (issue 13): listed so the sheet says why they are not on the truck. */}
      {returned.length > 0 && (
        <table class="print-parents" data-testid="print-returned">
          <caption>
            <strong>{t('bill.returnedTitle')}</strong> · {t('print.returnedNote')}
          </caption>
          <thead>
            <tr>
              <th>{t('print.number')}</th>
              <th>{t('print.parentBag')}</th>
              <th>{t('print.ticket')}</th>
              <th>{t('print.returnedAt')}</th>
              <th class="num">{t('print.childrenAtReturn')}</th>
            </tr>
          </thead>
          <tbody>
            {returned.map((r, i) => (
              <tr key={`${r.qr} ${r.ticketCode}`}>
                <td>{i + 1}</td>
                <td>{r.qr}</td>
                <td>{r.ticketCode}</td>
                <td>{formatDateTime(r.returnedAt)}</td>
                <td class="num">{formatNumber(r.childCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="signatures">
        <div>{t('print.signDispatched')}</div>
        <div>{t('print.signDriver')}</div>
        <div>{t('print.signReceived')}</div>
      </div>
    </section>
  );
}
