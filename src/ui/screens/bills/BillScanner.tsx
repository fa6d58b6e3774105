// Scanning parent bags into one bill, on the shared scan card (one scan at a time, each with its own scanId
// and its own answer); bill-scan.ts says what each answer means.
import type { BillScanAnswer } from '../../api/types';
import { ScanCard } from '../../components/ScanCard';
import { t } from '../../i18n';
import { billScanOutcome } from './bill-scan';

export function BillScanner({ billNo, finalized, onScan, onScanned }: { billNo: string; finalized?: boolean; onScan?: () => void; onScanned: () => void }) {
  return (
    <ScanCard<BillScanAnswer>
      path={`/api/bills/${encodeURIComponent(billNo)}/parents`}
      outcomeOf={billScanOutcome}
      refusedCode={finalized ? 'BILL_FINALIZED' : undefined}
      heading={t('bill.scanTitle', { bill: billNo })}
      label={t('bill.scanLabel', { bill: billNo })}
      hint={t('bill.scanHint')}
      manual={{ label: t('bill.manualLabel'), action: t('bill.manualAdd') }}
      resultTestId="bill-result"
      slotTestId="bill-scan-result"
      onScan={onScan}
      onScanned={onScanned}
    />
  );
}
