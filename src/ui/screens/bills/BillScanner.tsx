// Scanning parent bags into one bill: the wedge input (ScanInput) plus a visible field for typed or damaged
// labels, each scan sent once with its own scanId, the answer shown as a coloured banner with words.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { BillScanAnswer } from '../../api/types';
import { ManualEntry } from '../../components/ManualEntry';
import { ScanInput } from '../../components/ScanInput';
import { billScanBanner, type ScanBanner } from './bill-scan';

export function BillScanner({ billNo, disabled, onScanned }: { billNo: string; disabled?: boolean; onScanned: () => void }) {
  const [banner, setBanner] = useState<ScanBanner | null>(null);
  const [busy, setBusy] = useState(false);

  const scan = async (raw: string) => {
    const qr = raw.trim().toUpperCase();
    if (!qr) return;
    setBusy(true);
    try {
      const answer = await api<BillScanAnswer>(`/api/bills/${encodeURIComponent(billNo)}/parents`, {
        method: 'POST',
        body: { qr, scanId: crypto.randomUUID() },
      });
      setBanner(billScanBanner(qr, { answer }));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err));
      setBanner(billScanBanner(qr, { error: { code: e.code, message: e.message, status: e.status, details: e.details } }));
    } finally {
      setBusy(false);
      onScanned();
    }
  };

  return (
    <div class="card">
      <h2>Scan parents into {billNo}</h2>
      <ScanInput label={`Scan a parent bag into bill ${billNo}`} onScan={(code) => void scan(code)} disabled={disabled} />
      <p class="muted">Scan a parent label, or type it below.</p>
      <ManualEntry label="Parent QR" action="Add parent" disabled={disabled || busy} onSubmit={(code) => void scan(code)} />
      <div aria-live="assertive" data-testid="bill-scan-result">
        {banner && (
          <p class={`banner banner-${banner.tone} banner-scan`}>
            <span aria-hidden="true">{banner.icon} </span>
            {banner.text}
          </p>
        )}
      </div>
    </div>
  );
}
