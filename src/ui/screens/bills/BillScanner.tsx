// Scanning parent bags into one bill: the shared scan input (live through dialogs and questions) plus a
// visible field for typed or damaged labels. Scans go one at a time in scan order, each with its own scanId,
// and each gets its own answer: the banner (at the top of the card, scrolled into view on a phone), a sound
// and a vibration, like the scanner's.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { BillScanAnswer } from '../../api/types';
import { ManualEntry } from '../../components/ManualEntry';
import { ResultBanner, type ShownOutcome } from '../../components/ResultBanner';
import { ScanInput } from '../../components/ScanInput';
import { t } from '../../i18n';
import { playFeedback } from '../../scanner/feedback';
import { answerOffScreen } from '../../scanner/wedge';
import type { Outcome } from '../../scanner/scan-state';
import { billScanOutcome } from './bill-scan';

export function BillScanner({ billNo, finalized, onScan, onScanned }: { billNo: string; finalized?: boolean; onScan?: () => void; onScanned: () => void }) {
  const [banner, setBanner] = useState<ShownOutcome | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const answers = useRef(0);
  const slot = useRef<HTMLDivElement>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const show = (outcome: Outcome) => {
    setBanner({ ...outcome, n: ++answers.current });
    playFeedback(outcome.kind, outcome.qr, outcome.toScan);
    // Left the bill screen before this answer came: the shell shows it.
    if (!mounted.current) answerOffScreen(outcome, false);
    // On a phone the card may be scrolled away: the answer must be seen without scrolling.
    requestAnimationFrame(() => slot.current?.scrollIntoView({ block: 'nearest' }));
  };

  const send = async (qr: string) => {
    try {
      const answer = await api<BillScanAnswer>(`/api/bills/${encodeURIComponent(billNo)}/parents`, { method: 'POST', body: { qr, scanId: crypto.randomUUID() } });
      show(billScanOutcome(qr, { answer }));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err));
      show(billScanOutcome(qr, { error: { code: e.code, status: e.status, details: e.details } }));
    } finally {
      onScanned();
    }
  };

  const scan = (raw: string) => {
    const qr = raw.trim().toUpperCase();
    if (!qr) return;
    onScan?.();
    if (finalized) return show(billScanOutcome(qr, { error: { code: 'BILL_FINALIZED' } }));
    chain.current = chain.current.then(() => send(qr));
  };

  return (
    <div class="card bill-scanner">
      <h2>{t('bill.scanTitle', { bill: billNo })}</h2>
      <div ref={slot} data-testid="bill-scan-result">
        <ResultBanner outcome={banner} testId="bill-result" />
      </div>
      <ScanInput label={t('bill.scanLabel', { bill: billNo })} onScan={scan} />
      <p class="muted">{t('bill.scanHint')}</p>
      <ManualEntry label={t('bill.manualLabel')} action={t('bill.manualAdd')} onSubmit={scan} />
    </div>
  );
}
