// Admin: users, areas, throttled sign-ins and the audit log as tabs with their own URLs (/admin/users,
// /admin/areas, /admin/sign-ins, /admin/audit).
import { useRoute } from 'preact-iso';
import { AreasTab } from './AreasTab';
import { AuditTab } from './AuditTab';
import { SignInsTab } from './SignInsTab';
import { UsersTab } from './UsersTab';
import { t } from '../../i18n';
import '../screens.css';

const TABS = [
  { id: 'users', label: 'admin.users' },
  { id: 'areas', label: 'admin.areas' },
  { id: 'sign-ins', label: 'admin.signIns' },
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
      {tab === 'users' ? <UsersTab /> : tab === 'areas' ? <AreasTab /> : tab === 'sign-ins' ? <SignInsTab /> : <AuditTab />}
    </section>
  );
}
