import type { AuditRow } from '../../api/types';
import { FilteredList } from '../../components/FilteredList';
import { formatDateTime } from '../../format';

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
      title="Audit log"
      noun="entries"
      path="/api/audit"
      exportPath="/api/export/audit.csv"
      filters={[
        { key: 'actor', label: 'Actor (username)', kind: 'text' },
        { key: 'action', label: 'Action', kind: 'text', placeholder: 'e.g. user.create' },
        { key: 'entity', label: 'Entity type', kind: 'text', placeholder: 'user, bill, area…' },
        { key: 'entityId', label: 'Entity id', kind: 'text' },
        { key: 'from', label: 'From (date)', kind: 'date' },
        { key: 'to', label: 'To (date)', kind: 'date' },
      ]}
      rowKey={(r) => String(r.id)}
      columns={[
        { label: 'Time', cell: (r) => formatDateTime(r.at ?? r.createdAt) },
        { label: 'Actor', cell: (r) => r.actorUsername ?? r.actor ?? (r.actorId == null ? 'system' : `#${r.actorId}`) },
        { label: 'Action', cell: (r) => <code>{r.action}</code> },
        { label: 'Entity', cell: (r) => `${r.entityType ?? r.entity ?? ''} ${r.entityId ?? ''}` },
        { label: 'Before', cell: (r) => <Json value={r.before} /> },
        { label: 'After', cell: (r) => <Json value={r.after} /> },
        { label: 'IP / request', cell: (r) => <small>{[r.ip, r.requestId].filter(Boolean).join(' · ') || '—'}</small> },
      ]}
    />
  );
}
