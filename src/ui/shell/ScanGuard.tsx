// Answers to scans that no screen on view can show, loudly, with the code: a scan no screen took ("not
// recorded", never silence; on the sign-in screen: "not signed in"), or the answer to a scan that arrived
// after its screen was left (the scanner's ack, a bill scan's answer), so every scan's answer is seen, not
// only heard. One is mounted at a time: in the shell when signed in, above the sign-in screen otherwise.
import { useEffect, useState } from 'preact/hooks';
import { ResultBanner, type ShownOutcome } from '../components/ResultBanner';
import { playFeedback } from '../scanner/feedback';
import { offScreenAnswer } from '../scanner/wedge';
import { currentUser } from '../state/session';

export function ScanGuard({ signedOut = false }: { signedOut?: boolean }) {
  const answer = offScreenAnswer.value;
  // Answers from before this guard was mounted (before a sign-in, say) were shown by the one before it.
  const [since] = useState(() => offScreenAnswer.peek()?.n ?? 0);
  const [shown, setShown] = useState<ShownOutcome | null>(null);
  useEffect(() => {
    if (!answer || answer.n <= since) return;
    // `play`: a scan no screen took (the others were heard when their screen gave the answer).
    // Where to go instead, for this role: billers scan on a bill (they have no Scan screen).
    const noScreen = answer.play && answer.outcome.words.key === 'scan.noScreen' && currentUser.peek()?.role === 'biller';
    const outcome =
      signedOut && answer.play
        ? { ...answer.outcome, words: { key: 'scan.signInFirst' as const } }
        : noScreen
          ? { ...answer.outcome, words: { key: 'scan.noScreenBill' as const } }
          : answer.outcome;
    setShown({ ...outcome, n: answer.n });
    if (answer.play) playFeedback(outcome.kind, outcome.qr, outcome.toScan);
    const hide = setTimeout(() => setShown(null), 6000);
    return () => clearTimeout(hide);
  }, [answer?.n]);
  if (!shown) return null;
  return (
    <div class="scan-guard" data-testid="scan-guard">
      <ResultBanner outcome={shown} testId="offscreen-answer" />
    </div>
  );
}
