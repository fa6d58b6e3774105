// Scanning parent bags into one record (a bill, a return ticket): the shared scan input (live through dialogs
// and questions) plus a visible field for typed or damaged labels. Scans go one at a time in scan order, each
// with its own scanId, and each gets its own answer: the banner (at the top of the card, scrolled into view on
// a phone), a sound and a vibration, like the scanner's. What an answer means is the screen's (`outcomeOf`).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { playFeedback } from '../scanner/feedback';
import type { ErrorLike, Outcome } from '../scanner/scan-state';
import { answerOffScreen } from '../scanner/wedge';
import { ManualEntry } from './ManualEntry';
import { ResultBanner, type ShownOutcome } from './ResultBanner';
import { ScanInput } from './ScanInput';

export type ScanResult<A> = { answer: A } | { error: ErrorLike };

export interface ScanCardProps<A> {
  /** POST {qr, scanId} here for each scan. */
  path: string;
  outcomeOf: (qr: string, result: ScanResult<A>) => Outcome;
  /** Set while the record takes no scans (finalized, closed): each scan is answered with this code on the spot. */
  refusedCode?: string;
  heading: string;
  label: string;
  hint: string;
  manual: { label: string; action: string };
  resultTestId: string;
  cardTestId?: string;
  slotTestId?: string;
  /** A scan came in (before it is sent or refused). */
  onScan?: () => void;
  /** The server answered a scan (or could not be reached). */
  onScanned: () => void;
}

export function ScanCard<A>({ path, outcomeOf, refusedCode, heading, label, hint, manual, resultTestId, cardTestId, slotTestId, onScan, onScanned }: ScanCardProps<A>) {
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
    // Left the screen before this answer came: the shell shows it.
    if (!mounted.current) answerOffScreen(outcome, false);
    // On a phone the card may be scrolled away: the answer must be seen without scrolling.
    requestAnimationFrame(() => slot.current?.scrollIntoView({ block: 'nearest' }));
  };

  const send = async (qr: string) => {
    try {
      const answer = await api<A>(path, { method: 'POST', body: { qr, scanId: crypto.randomUUID() } });
      show(outcomeOf(qr, { answer }));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err));
      show(outcomeOf(qr, { error: { code: e.code, status: e.status, details: e.details } }));
    } finally {
      onScanned();
    }
  };

  const scan = (raw: string) => {
    const qr = raw.trim().toUpperCase();
    if (!qr) return;
    onScan?.();
    // A record that takes no scans still answers each one, loudly, on the spot (a repeat of a listed parent included).
    if (refusedCode) return show(outcomeOf(qr, { error: { code: refusedCode } }));
    chain.current = chain.current.then(() => send(qr));
  };

  return (
    <div class="card bill-scanner" data-testid={cardTestId}>
      <h2>{heading}</h2>
      <div ref={slot} data-testid={slotTestId}>
        <ResultBanner outcome={banner} testId={resultTestId} />
      </div>
      <ScanInput label={label} onScan={scan} />
      <p class="muted">{hint}</p>
      <ManualEntry label={manual.label} action={manual.action} onSubmit={scan} />
    </div>
  );
}
