// Bags (GET /api/bags) with the API.md filters: type, area, status, linked, billed, date range, search.
import type { Bag } from '../../api/types';
import { FilteredList, type FilterDef } from '../../components/FilteredList';
import { QrLink } from '../../components/QrLink';
import { StatusChip } from '../../components/StatusChip';
import { formatDateTime, formatNumber } from '../../format';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { useUserOptions } from '../../components/useUserOptions';
import '../screens.css';

const yesNo = (yes: string, no: string) => [
  { value: 'true', label: yes },
  { value: 'false', label: no },
];

export default function BagsScreen() {
  const user = currentUser.value!;
  const users = useUserOptions(user.role === 'admin');
  const filters: FilterDef[] = [
    { key: 'q', label: 'QR contains', kind: 'text', placeholder: 'e.g. SB001' },
    { key: 'type', label: 'Type', kind: 'select', options: [{ value: 'parent', label: 'Parent' }, { value: 'child', label: 'Child' }] },
    ...(user.areaId === null ? [{ key: 'areaId', label: 'Area', kind: 'area' } as FilterDef] : []),
    {
      key: 'status',
      label: 'Status',
      kind: 'select',
      options: [
        { value: 'open', label: 'Open (parent)' },
        { value: 'completed', label: 'Completed (parent)' },
        { value: 'linked', label: 'Linked (child)' },
        { value: 'unlinked', label: 'Unlinked (child)' },
      ],
    },
    { key: 'linked', label: 'Linked', kind: 'select', options: yesNo('Linked', 'Not linked') },
    { key: 'billed', label: 'Billed', kind: 'select', options: yesNo('On a bill', 'Not on a bill') },
    { key: 'from', label: 'Created from', kind: 'date' },
    ...(users.length > 0 ? [{ key: 'scannedBy', label: 'Scanned by', kind: 'select', options: users } as FilterDef] : []),
    { key: 'to', label: 'Created to', kind: 'date' },
  ];
  return (
    <FilteredList<Bag>
      title="Bags"
      noun="bags"
      path="/api/bags"
      exportPath="/api/export/bags.csv"
      filters={filters}
      rowKey={(b) => b.qr}
      columns={[
        { label: 'QR', cell: (b) => <QrLink qr={b.qr} /> },
        { label: 'Type', cell: (b) => b.type },
        { label: 'Status', cell: (b) => <StatusChip status={b.status} /> },
        { label: 'Children', numeric: true, cell: (b) => (b.type === 'parent' ? formatNumber(b.childCount ?? 0) : '') },
        { label: 'Area', cell: (b) => (b.areaId == null ? '—' : areaName(b.areaId)) },
        { label: 'Created', cell: (b) => formatDateTime(b.createdAt) },
        { label: 'By', cell: (b) => b.createdByName ?? (b.createdBy == null ? '—' : String(b.createdBy)) },
      ]}
    />
  );
}
