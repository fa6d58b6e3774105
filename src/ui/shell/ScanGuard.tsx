// Scans that no screen took (a screen without a scan input, or one that did not load in time) are answered
// here, loudly, with the code: "not recorded", never silence.
import { useEffect, useState } from 'preact/hooks';
import { ResultBanner, type ShownOutcome } from '../components/ResultBanner';
import { playFeedback } from '../scanner/feedback';
import { unclaimedScan } from '../scanner/wedge';

export function ScanGuard() {
  const scan = unclaimedScan.value;
  const [shown, setShown] = useState<ShownOutcome | null>(null);
  useEffect(() => {
    if (!scan) return;
    setShown({ kind: 'rejected', qr: scan.code, words: { key: 'scan.noScreen' }, toScan: true, n: scan.n });
    playFeedback('rejected', scan.code, true);
    const hide = setTimeout(() => setShown(null), 6000);
    return () => clearTimeout(hide);
  }, [scan?.n]);
  if (!shown) return null;
  return (
    <div class="scan-guard" data-testid="scan-guard">
      <ResultBanner outcome={shown} testId="unclaimed-scan" />
    </div>
  );
}
