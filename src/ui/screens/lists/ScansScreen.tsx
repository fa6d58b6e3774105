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
import '../screens.css';

export default function ScansScreen() {
  const user = currentUser.value!;
  const users = useUserOptions(user.role === 'admin');
  const own = user.role === 'dispatcher';
  const filters: FilterDef[] = [
    {
      key: 'result',
      label: 'Result',
      kind: 'select',
      options: [
        { value: 'linked', label: 'Linked' },
        { value: 'duplicate', label: 'Duplicate' },
        { value: 'rejected', label: 'Rejected' },
      ],
    },
    { key: 'parentQr', label: 'Parent QR', kind: 'text' },
    { key: 'childQr', label: 'Child QR', kind: 'text' },
    ...(user.areaId === null ? [{ key: 'areaId', label: 'Area', kind: 'area' } as FilterDef] : []),
    { key: 'from', label: 'From (date)', kind: 'date' },
    ...(users.length > 0 ? [{ key: 'scannedBy', label: 'Scanned by', kind: 'select', options: users } as FilterDef] : []),
    { key: 'to', label: 'To (date)', kind: 'date' },
  ];
  return (
    <FilteredList<ScanRow>
      title={own ? 'My scan history' : 'Scan history'}
      noun="scans"
      path="/api/scans"
      exportPath={own ? undefined : "/api/export/scans.csv"}
      filters={filters}
      fixed={own ? { scannedBy: String(user.id) } : {}}
      rowKey={(r, i) => String(r.id ?? r.scanId ?? i)}
      columns={[
        { label: 'Time', cell: (r) => formatDateTime(r.at ?? r.createdAt) },
        { label: 'Result', cell: (r) => <StatusChip status={r.result} /> },
        { label: 'Parent', cell: (r) => <QrLink qr={r.parentQr} /> },
        { label: 'Child', cell: (r) => <QrLink qr={r.childQr} /> },
        { label: 'Who', cell: (r) => r.username ?? r.by ?? '—' },
        { label: 'Area', cell: (r) => (r.areaId == null ? '—' : areaName(r.areaId)) },
        { label: 'Reason', cell: (r) => (r.errorCode ? errorWords(r.errorCode) : '') },
      ]}
    />
  );
}
