// Scanning returned parent bags into one ticket, on the shared scan card (one scan at a time, each with its
// own scanId and its own answer), exactly like scanning parents into a bill; return-scan.ts says what each
// answer means. A closed ticket still answers each scan, loudly, on the spot.
import type { ReturnScanAnswer } from '../../api/types';
import { ScanCard } from '../../components/ScanCard';
import { t } from '../../i18n';
import { returnScanOutcome } from './return-scan';

export function ReturnScanner({ code, closed, onScan, onScanned }: { code: string; closed: boolean; onScan?: () => void; onScanned: () => void }) {
  return (
    <ScanCard<ReturnScanAnswer>
      path={`/api/returns/${encodeURIComponent(code)}/parents`}
      outcomeOf={returnScanOutcome}
      refusedCode={closed ? 'RETURN_CLOSED' : undefined}
      heading={t('return.scanTitle', { code })}
      label={t('return.scanLabel', { code })}
      hint={t('return.scanHint')}
      manual={{ label: t('return.manualLabel'), action: t('return.manualAdd') }}
      resultTestId="return-result"
      cardTestId="return-scanner"
      onScan={onScan}
      onScanned={onScanned}
    />
  );
}
