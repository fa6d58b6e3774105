// Admin: users, areas and the audit log as tabs with their own URLs (/admin/users, /admin/areas, /admin/audit).
import { useRoute } from 'preact-iso';
import { AreasTab } from './AreasTab';
import { AuditTab } from './AuditTab';
import { UsersTab } from './UsersTab';
import { t } from '../../i18n';
import '../screens.css';

const TABS = [
  { id: 'users', label: 'admin.users' },
  { id: 'areas', label: 'admin.areas' },
  { id: 'audit', label: 'admin.audit' },
] as const;

export default function AdminScreen() {
  const { params } = useRoute();
  const tab = TABS.find((entry) => entry.id === params.tab)?.id ?? 'users';
  return (
    <section>
      <nav class="tabs" aria-label={t('admin.sections')}>
        {TABS.map((entry) => (
          <a key={entry.id} href={`/admin/${entry.id}`} aria-current={tab === entry.id ? 'page' : undefined}>
            {t(entry.label)}
          </a>
        ))}
      </nav>
      {tab === 'users' ? <UsersTab /> : tab === 'areas' ? <AreasTab /> : <AuditTab />}
    </section>
  );
}
