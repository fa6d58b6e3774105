// "Scan into bill": pick one of the open (not finalized) bills, then scan parents into it.
import { useState } from 'preact/hooks';
import type { Bill } from '../../api/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { usePagedList } from '../../components/usePagedList';
import { formatNumber } from '../../format';
import { BillScanner } from './BillScanner';
import { BillSummary } from './BillScreen';
import { useBill } from './useBill';
import '../screens.css';

function Picked({ billNo, onBack }: { billNo: string; onBack: () => void }) {
  const { bill, error, reload } = useBill(billNo);
  return (
    <>
      <div class="screen-head">
        <h1>Scan into {billNo}</h1>
        <button type="button" class="button" onClick={onBack}>
          ← Other bill
        </button>
      </div>
      <ErrorBanner error={error} />
      {bill && (
        <>
          <BillScanner billNo={billNo} disabled={bill.finalized} onScanned={() => void reload()} />
          <div class="card">
            <BillSummary bill={bill} />
            <p>
              <a href={`/bills/${encodeURIComponent(billNo)}`}>Open the bill</a>
            </p>
          </div>
        </>
      )}
    </>
  );
}

export default function BillScanScreen() {
  const [picked, setPicked] = useState<string | null>(() => sessionStorage.getItem('billScan.billNo'));
  const list = usePagedList<Bill>('/api/bills', '?finalized=false&limit=200', picked === null);
  const pick = (billNo: string | null) => {
    if (billNo) sessionStorage.setItem('billScan.billNo', billNo);
    else sessionStorage.removeItem('billScan.billNo');
    setPicked(billNo);
  };
  if (picked) {
    return (
      <section>
        <Picked billNo={picked} onBack={() => pick(null)} />
      </section>
    );
  }
  const open = list.items.filter((b) => !b.finalized);
  return (
    <section>
      <h1>Scan into bill</h1>
      <p>Choose the bill to load:</p>
      <ErrorBanner error={list.error} />
      {list.loading && <p class="muted">Loading bills…</p>}
      <ul class="pick-list">
        {open.map((b) => (
          <li key={b.billNo}>
            <button type="button" class="button button-big pick" onClick={() => pick(b.billNo)}>
              <strong>{b.billNo}</strong> → {b.destination} · {b.vehicleNo} · {formatNumber(b.parentCount)}/{formatNumber(b.capacity)}
            </button>
          </li>
        ))}
      </ul>
      {!list.loading && open.length === 0 && (
        <p class="banner banner-info">
          ℹ No open bills. <a href="/bills">Create one</a>.
        </p>
      )}
    </section>
  );
}
