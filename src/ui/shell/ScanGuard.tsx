// Answers to scans that no screen on view can show, loudly, with the code: a scan no screen took ("not
// recorded", never silence), or the answer to a scan that arrived after its screen was left (the scanner's
// ack, a bill scan's answer), so every scan's answer is seen, not only heard.
import { useEffect, useState } from 'preact/hooks';
import { ResultBanner, type ShownOutcome } from '../components/ResultBanner';
import { playFeedback } from '../scanner/feedback';
import { offScreenAnswer } from '../scanner/wedge';

export function ScanGuard() {
  const answer = offScreenAnswer.value;
  const [shown, setShown] = useState<ShownOutcome | null>(null);
  useEffect(() => {
    if (!answer) return;
    setShown({ ...answer.outcome, n: answer.n });
    if (answer.play) playFeedback(answer.outcome.kind, answer.outcome.qr, answer.outcome.toScan);
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
