// Bags (GET /api/bags) with the API.md filters: type, area, status, linked, billed, date range, search.
import type { Bag } from '../../api/types';
import { FilteredList, type FilterDef } from '../../components/FilteredList';
import { QrLink } from '../../components/QrLink';
import { StatusChip } from '../../components/StatusChip';
import { formatDateTime, formatNumber } from '../../format';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { useUserOptions } from '../../components/useUserOptions';
import { t } from '../../i18n';
import '../screens.css';

const yesNo = (yes: string, no: string) => [
  { value: 'true', label: yes },
  { value: 'false', label: no },
];

export default function BagsScreen() {
  const user = currentUser.value!;
  const users = useUserOptions(user.role === 'admin');
  const filters: FilterDef[] = [
    { key: 'q', label: t('bags.q'), kind: 'text', placeholder: t('bags.qPlaceholder') },
    { key: 'type', label: t('bags.type'), kind: 'select', options: [{ value: 'parent', label: t('bags.parent') }, { value: 'child', label: t('bags.child') }] },
    ...(user.areaId === null ? [{ key: 'areaId', label: t('bags.area'), kind: 'area' } as FilterDef] : []),
    {
      key: 'status',
      label: t('bags.status'),
      kind: 'select',
      options: [
        { value: 'open', label: t('bags.statusOpen') },
        { value: 'completed', label: t('bags.statusCompleted') },
        { value: 'linked', label: t('bags.statusLinked') },
        { value: 'unlinked', label: t('bags.statusUnlinked') },
      ],
    },
    { key: 'linked', label: t('bags.linked'), kind: 'select', options: yesNo(t('bags.linkedYes'), t('bags.linkedNo')) },
    { key: 'billed', label: t('bags.billed'), kind: 'select', options: yesNo(t('bags.billedYes'), t('bags.billedNo')) },
    { key: 'from', label: t('bags.from'), kind: 'date' },
    ...(users.length > 0 ? [{ key: 'scannedBy', label: t('scans.scannedBy'), kind: 'select', options: users } as FilterDef] : []),
    { key: 'to', label: t('bags.to'), kind: 'date' },
  ];
  return (
    <FilteredList<Bag>
      title={t('bags.title')}
      path="/api/bags"
      exportPath="/api/export/bags.csv"
      filters={filters}
      rowKey={(b) => b.qr}
      columns={[
        { label: t('bags.qr'), cell: (b) => <QrLink qr={b.qr} /> },
        { label: t('bags.type'), cell: (b) => (b.type === 'parent' ? t('bags.parent') : t('bags.child')) },
        { label: t('bags.status'), cell: (b) => <StatusChip status={b.status} /> },
        { label: t('bags.children'), numeric: true, cell: (b) => (b.type === 'parent' ? formatNumber(b.childCount ?? 0) : '') },
        { label: t('bags.area'), cell: (b) => (b.areaId == null ? '—' : areaName(b.areaId)) },
        { label: t('bags.created'), cell: (b) => formatDateTime(b.createdAt) },
        { label: t('bags.by'), cell: (b) => b.createdByName ?? (b.createdBy == null ? '—' : String(b.createdBy)) },
      ]}
    />
  );
}
