// Admin: users, areas and the audit log as tabs with their own URLs (/admin/users, /admin/areas, /admin/audit).
import { useRoute } from 'preact-iso';
import { AreasTab } from './AreasTab';
import { AuditTab } from './AuditTab';
import { UsersTab } from './UsersTab';
import '../screens.css';

const TABS = [
  { id: 'users', label: 'Users' },
  { id: 'areas', label: 'Areas' },
  { id: 'audit', label: 'Audit log' },
] as const;

export default function AdminScreen() {
  const { params } = useRoute();
  const tab = TABS.find((t) => t.id === params.tab)?.id ?? 'users';
  return (
    <section>
      <nav class="tabs" aria-label="Admin sections">
        {TABS.map((t) => (
          <a key={t.id} href={`/admin/${t.id}`} aria-current={tab === t.id ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      {tab === 'users' ? <UsersTab /> : tab === 'areas' ? <AreasTab /> : <AuditTab />}
    </section>
  );
}
