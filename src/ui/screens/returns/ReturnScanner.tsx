// Scanning returned parent bags into one ticket: the shared scan input (live through dialogs), a visible field
// for damaged labels, one scan at a time in scan order, each with its own scanId and its own answer (banner,
// sound, vibration), exactly like scanning parents into a bill.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { ReturnScanAnswer } from '../../api/types';
import { ManualEntry } from '../../components/ManualEntry';
import { ResultBanner, type ShownOutcome } from '../../components/ResultBanner';
import { ScanInput } from '../../components/ScanInput';
import { t } from '../../i18n';
import { playFeedback } from '../../scanner/feedback';
import { answerOffScreen } from '../../scanner/wedge';
import type { Outcome } from '../../scanner/scan-state';
import { returnScanOutcome } from './return-scan';

export function ReturnScanner({ code, closed, onScanned }: { code: string; closed: boolean; onScanned: () => void }) {
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
    if (!mounted.current) answerOffScreen(outcome, false);
    requestAnimationFrame(() => slot.current?.scrollIntoView({ block: 'nearest' }));
  };

  const send = async (qr: string) => {
    try {
      const answer = await api<ReturnScanAnswer>(`/api/returns/${encodeURIComponent(code)}/parents`, { method: 'POST', body: { qr, scanId: crypto.randomUUID() } });
      show(returnScanOutcome(qr, { answer }));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err));
      show(returnScanOutcome(qr, { error: { code: e.code, status: e.status, details: e.details } }));
    } finally {
      onScanned();
    }
  };

  const scan = (raw: string) => {
    const qr = raw.trim().toUpperCase();
    if (!qr) return;
    // Closed tickets still answer each scan, loudly, on the spot (a repeat of a listed parent included).
    if (closed) return show(returnScanOutcome(qr, { error: { code: 'RETURN_CLOSED' } }));
    chain.current = chain.current.then(() => send(qr));
  };

  return (
    <div class="card bill-scanner" data-testid="return-scanner">
      <h2>{t('return.scanTitle', { code })}</h2>
      <div ref={slot}>
        <ResultBanner outcome={banner} testId="return-result" />
      </div>
      <ScanInput label={t('return.scanLabel', { code })} onScan={scan} />
      <p class="muted">{t('return.scanHint')}</p>
      <ManualEntry label={t('return.manualLabel')} action={t('return.manualAdd')} onSubmit={scan} />
    </div>
  );
}
