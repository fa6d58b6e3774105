import type { AuditRow } from '../../api/types';
import { FilteredList } from '../../components/FilteredList';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';

function Json({ value }: { value: unknown }) {
  if (value == null || value === '') return <span class="muted">—</span>;
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(JSON.parse(value), null, 1) : JSON.stringify(value, null, 1);
  } catch {
    text = String(value);
  }
  return <pre class="json">{text}</pre>;
}

export function AuditTab() {
  return (
    <FilteredList<AuditRow>
      title={t('audit.title')}
      path="/api/audit"
      exportPath="/api/export/audit.csv"
      filters={[
        { key: 'actor', label: t('audit.actor'), kind: 'text' },
        { key: 'action', label: t('audit.action'), kind: 'text', placeholder: t('audit.actionPlaceholder') },
        { key: 'entity', label: t('audit.entity'), kind: 'text', placeholder: t('audit.entityPlaceholder') },
        { key: 'entityId', label: t('audit.entityId'), kind: 'text' },
        { key: 'from', label: t('audit.from'), kind: 'date' },
        { key: 'to', label: t('audit.to'), kind: 'date' },
      ]}
      rowKey={(r) => String(r.id)}
      columns={[
        { label: t('audit.time'), cell: (r) => formatDateTime(r.at) },
        { label: t('audit.who'), cell: (r) => r.actorUsername ?? (r.actorId == null ? t('audit.system') : `#${r.actorId}`) },
        { label: t('audit.what'), cell: (r) => <code>{r.action}</code> },
        { label: t('audit.on'), cell: (r) => `${r.entityType} ${r.entityId ?? ''}` },
        { label: t('audit.before'), cell: (r) => <Json value={r.before} /> },
        { label: t('audit.after'), cell: (r) => <Json value={r.after} /> },
        { label: t('audit.where'), cell: (r) => <small>{[r.ip, r.requestId].filter(Boolean).join(' · ') || '—'}</small> },
      ]}
    />
  );
}
