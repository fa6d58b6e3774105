// Scan history (GET /api/scans): every linked, duplicate and rejected scan, newest first, with filters and
// the CSV export of the same filters. Dispatchers see their own scans.
import type { ScanRow } from '../../api/types';
import { FilteredList, type FilterDef } from '../../components/FilteredList';
import { QrLink } from '../../components/QrLink';
import { StatusChip } from '../../components/StatusChip';
import { formatDateTime } from '../../format';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { useUserOptions } from '../../components/useUserOptions';
import { errorWords } from '../lookup/history-words';
import { t } from '../../i18n';
import '../screens.css';

export default function ScansScreen() {
  const user = currentUser.value!;
  const users = useUserOptions(user.role === 'admin');
  const own = user.role === 'dispatcher';
  const filters: FilterDef[] = [
    {
      key: 'result',
      label: t('scans.result'),
      kind: 'select',
      options: [
        { value: 'linked', label: t('scans.linked') },
        { value: 'duplicate', label: t('scans.duplicate') },
        { value: 'rejected', label: t('scans.rejected') },
      ],
    },
    { key: 'parentQr', label: t('scans.parentQr'), kind: 'text' },
    { key: 'childQr', label: t('scans.childQr'), kind: 'text' },
    ...(user.areaId === null ? [{ key: 'areaId', label: t('scans.area'), kind: 'area' } as FilterDef] : []),
    { key: 'from', label: t('scans.from'), kind: 'date' },
    ...(users.length > 0 ? [{ key: 'scannedBy', label: t('scans.scannedBy'), kind: 'select', options: users } as FilterDef] : []),
    { key: 'to', label: t('scans.to'), kind: 'date' },
  ];
  return (
    <FilteredList<ScanRow>
      title={own ? t('scans.mine') : t('scans.title')}
      path="/api/scans"
      exportPath={own ? undefined : "/api/export/scans.csv"}
      filters={filters}
      fixed={own ? { scannedBy: String(user.id) } : {}}
      rowKey={(r) => String(r.id)}
      columns={[
        { label: t('scans.time'), cell: (r) => formatDateTime(r.at) },
        { label: t('scans.result'), cell: (r) => <StatusChip status={r.result} /> },
        { label: t('scans.parent'), cell: (r) => <QrLink qr={r.parentQr} /> },
        { label: t('scans.child'), cell: (r) => <QrLink qr={r.childQr} /> },
        { label: t('scans.who'), cell: (r) => r.username ?? '—' },
        { label: t('scans.area'), cell: (r) => (r.areaId == null ? '—' : areaName(r.areaId)) },
        { label: t('scans.reason'), cell: (r) => (r.errorCode ? errorWords(r.errorCode) : '') },
      ]}
    />
  );
}
