// A4 bill summary for the truck: one page, a QR of the bill number, the dispatch area, who finalized it,
// the description, totals and weights, the parents, signature lines. The print stylesheet (screens.css,
// @media print) hides the shell so only this sheet prints.
import { useRoute } from 'preact-iso';
import { ErrorBanner } from '../../components/ErrorBanner';
import { QrCode } from '../../components/QrCode';
import { formatDateTime, formatKg, formatNumber } from '../../format';
import { areaName } from '../../state/areas';
import { billAreas, weightVariance } from './bill-scan';
import { useBill } from './useBill';
import '../screens.css';

export default function BillPrintScreen() {
  const { params } = useRoute();
  const billNo = decodeURIComponent(params.billNo ?? '');
  const { bill, error, loading } = useBill(billNo, false);
  if (loading && !bill) return <p class="loading">Loading bill…</p>;
  if (!bill) return <ErrorBanner error={error} />;
  const parents = bill.parents ?? [];
  const areasOf = billAreas(bill);
  const actual = bill.actualWeightKg ?? null;
  const v = weightVariance(actual, bill.expectedWeightKg);
  return (
    <section class="print-sheet" aria-label={`Printable bill ${bill.billNo}`}>
      <div class="no-print actions">
        <a class="button" href={`/bills/${encodeURIComponent(bill.billNo)}`}>
          ← Back to bill
        </a>
        <button type="button" class="button button-primary" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <header class="print-head">
        <div>
          <h1>Dispatch bill {bill.billNo}</h1>
          <p data-testid="print-area">
            Dispatch area: <strong>{areasOf.length ? areasOf.map((id) => areaName(id)).join(', ') : '—'}</strong>
          </p>
          <p data-testid="print-finalized">
            {bill.finalized
              ? `Finalized by ${bill.finalizedBy ?? '—'}${bill.finalizedAt ? ` on ${formatDateTime(bill.finalizedAt)}` : ''}`
              : 'Not finalized (draft)'}{' '}
            · printed {formatDateTime(new Date())}
          </p>
        </div>
        <QrCode value={bill.billNo} size={120} label={`QR code of bill number ${bill.billNo}`} />
      </header>
      <table class="print-facts">
        <tbody>
          <tr>
            <th>Destination</th>
            <td>{bill.destination}</td>
            <th>Vehicle</th>
            <td>{bill.vehicleNo}</td>
          </tr>
          <tr>
            <th>Description</th>
            <td colSpan={3} data-testid="print-description">
              {bill.description || '—'}
            </td>
          </tr>
          <tr>
            <th>Parent bags</th>
            <td>
              {formatNumber(bill.parentCount)} / {formatNumber(bill.capacity)}
            </td>
            <th>Child bags</th>
            <td>{formatNumber(bill.childCount)}</td>
          </tr>
          <tr>
            <th>Expected weight</th>
            <td>{formatKg(bill.expectedWeightKg)}</td>
            <th>Actual weight</th>
            {/* Not weighed yet: a line to write the weighbridge's reading on. */}
            <td>{actual === null ? '______________ kg' : `${formatKg(actual)}${bill.weightSource === 'weighbridge' ? ' (weighbridge)' : ''}`}</td>
          </tr>
          {v.kg !== null && (
            <tr>
              <th>Variance</th>
              <td colSpan={3}>
                {v.kg > 0 ? '+' : ''}
                {formatKg(v.kg)}
                {v.percent === null ? '' : ` (${v.percent > 0 ? '+' : ''}${formatNumber(v.percent, 1)} %)`}
              </td>
            </tr>
          )}
          <tr>
            <th>Created</th>
            <td colSpan={3}>
              {formatDateTime(bill.createdAt)}
              {bill.createdBy ? ` by ${bill.createdBy}` : ''}
            </td>
          </tr>
        </tbody>
      </table>
      <table class="print-parents">
        <thead>
          <tr>
            <th>#</th>
            <th>Parent bag</th>
            <th>Area</th>
            <th class="num">Child bags</th>
          </tr>
        </thead>
        <tbody>
          {parents.map((p, i) => (
            <tr key={p.qr}>
              <td>{i + 1}</td>
              <td>
                {p.qr}
                {p.status === 'open' ? ' (not complete)' : ''}
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
            <th colSpan={3}>Total</th>
            <th class="num">{formatNumber(bill.childCount)}</th>
          </tr>
        </tfoot>
      </table>
      <div class="signatures">
        <div>Dispatched by (name, signature)</div>
        <div>Driver (name, signature)</div>
        <div>Received by (name, signature)</div>
      </div>
    </section>
  );
}
