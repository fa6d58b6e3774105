// "Scan into bill": pick one of the open (not finalized) bills, then scan parents into it.
import { useState } from 'preact/hooks';
import type { BillListItem } from '../../api/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { usePagedList } from '../../components/usePagedList';
import { formatNumber } from '../../format';
import { t } from '../../i18n';
import { BillScanner } from './BillScanner';
import { BillSummary } from './BillScreen';
import { useBill } from './useBill';
import '../screens.css';

function Picked({ billNo, onBack }: { billNo: string; onBack: () => void }) {
  const { bill, error, reload } = useBill(billNo);
  return (
    <>
      <div class="screen-head">
        <h1>{t('bill.scanInto', { bill: billNo })}</h1>
        <button type="button" class="button" onClick={onBack}>
          ← {t('bill.otherBill')}
        </button>
      </div>
      <ErrorBanner error={error} />
      {bill && (
        <>
          <BillScanner billNo={billNo} finalized={bill.finalized} onScanned={() => void reload()} />
          <div class="card">
            <BillSummary bill={bill} />
            <p>
              <a href={`/bills/${encodeURIComponent(billNo)}`}>{t('bill.open')}</a>
            </p>
          </div>
        </>
      )}
    </>
  );
}

export default function BillScanScreen() {
  const [picked, setPicked] = useState<string | null>(() => sessionStorage.getItem('billScan.billNo'));
  const list = usePagedList<BillListItem>('/api/bills', '?finalized=false&limit=200', picked === null);
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
      <h1>{t('bill.pickTitle')}</h1>
      <p>{t('bill.pick')}</p>
      <ErrorBanner error={list.error} />
      {list.loading && <p class="muted">{t('bill.loadingBills')}</p>}
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
          ℹ {t('bill.noOpen')} <a href="/bills">{t('bill.create')}</a>
        </p>
      )}
    </section>
  );
}
