// Users: a list filtered by role, area and state; create and edit in a side panel. Deactivation and
// password resets ask first, since both end the user's sessions everywhere. Form problems are said in our
// own words next to their field (the server's sentences are English and stay in the audit trail).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { Role, UserRow } from '../../api/types';
import { AreaSelect } from '../../components/AreaSelect';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner, fieldErrors } from '../../components/ErrorBanner';
import { LoadMore } from '../../components/LoadMore';
import { SidePanel } from '../../components/SidePanel';
import { StackTable } from '../../components/StackTable';
import { SubmitRow } from '../../components/SubmitRow';
import { roleName, StatusChip } from '../../components/StatusChip';
import { usePagedList } from '../../components/usePagedList';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';
import { filtersToQuery } from '../../lib/filters';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { isAreaBound } from '../../../shared/area-access';
import { ROLES } from '../../../shared/types';

const needsArea = (role: Role) => isAreaBound(role);
const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;

/** What is wrong with a new password before the server is asked (the server also checks the common list). */
function passwordOk(password: string, username: string): boolean {
  return password.length >= 10 && !(username.length >= 3 && password.toLowerCase().includes(username.toLowerCase()));
}

type Panel = { mode: 'create' } | { mode: 'edit'; user: UserRow } | null;

function RoleSelect({ value, onChange, disabled }: { value: Role; onChange: (r: Role) => void; disabled?: boolean }) {
  return (
    <select name="role" value={value} disabled={disabled} onChange={(e) => onChange((e.target as HTMLSelectElement).value as Role)}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {roleName(r)}
        </option>
      ))}
    </select>
  );
}

function CreateUser({ onDone }: { onDone: (username: string) => void }) {
  const [form, setForm] = useState({ username: '', password: '', role: 'dispatcher' as Role, areaId: '' });
  const [error, setError] = useState<unknown>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const name = form.username.trim();
  const server = fieldErrors(error, ['username', 'password', 'role', 'areaId']);
  const taken = error instanceof ApiError && error.code === 'CONFLICT';
  const bad = {
    username: (tried && !USERNAME.test(name)) || !!server.username || taken,
    password: (tried && !passwordOk(form.password, name)) || !!server.password,
    areaId: (tried && needsArea(form.role) && !form.areaId) || !!server.areaId,
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    setError(null);
    if (!USERNAME.test(name) || !passwordOk(form.password, name) || (needsArea(form.role) && !form.areaId)) return;
    setBusy(true);
    try {
      await api('/api/users', { body: { username: name, password: form.password, role: form.role, ...(form.areaId ? { areaId: Number(form.areaId) } : {}) } });
      onDone(name);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const shownError = bad.username || bad.password || bad.areaId || Object.keys(server).length ? null : error;
  return (
    <form onSubmit={submit} aria-labelledby="create-user" noValidate>
      <h2 id="create-user">{t('users.createTitle')}</h2>
      <label class="field">
        {t('users.username')}
        <input name="username" value={form.username} required autoComplete="off" autoCapitalize="none" onInput={(e) => setForm({ ...form, username: (e.target as HTMLInputElement).value })} aria-invalid={bad.username ? 'true' : undefined} />
        {bad.username && <span class="field-error">{taken ? t('users.usernameTaken') : t('users.usernameRule')}</span>}
      </label>
      <label class="field">
        {t('users.password')}
        <input name="password" type="password" value={form.password} required autoComplete="new-password" onInput={(e) => setForm({ ...form, password: (e.target as HTMLInputElement).value })} aria-invalid={bad.password ? 'true' : undefined} />
        {bad.password && <span class="field-error">{t('users.passwordRule')}</span>}
      </label>
      <label class="field">
        {t('users.role')}
        <RoleSelect value={form.role} onChange={(role) => setForm({ ...form, role })} />
      </label>
      <AreaSelect value={form.areaId} onChange={(areaId) => setForm({ ...form, areaId })} label={needsArea(form.role) ? t('users.areaRequired') : t('users.area')} allLabel={t('area.none')} />
      {bad.areaId && <span class="field-error">{t('users.areaNeeded')}</span>}
      <SubmitRow error={shownError} busy={busy} label={t('users.create')} busyLabel={t('users.creating')} />
    </form>
  );
}

type Confirm = { kind: 'deactivate' } | { kind: 'activate' } | { kind: 'reset' } | { kind: 'totp' } | null;

/** A refused change in words: last admin, own role or state, a password the rules refuse. */
function patchProblem(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'CONFLICT') return t('users.lastAdmin');
  if (error.code === 'FORBIDDEN') return t('users.notAllowed');
  return null;
}

function EditUser({ user, onDone }: { user: UserRow; onDone: (message: string) => void }) {
  const me = currentUser.value!;
  const [role, setRole] = useState<Role>(user.role);
  const [areaId, setAreaId] = useState(user.areaId == null ? '' : String(user.areaId));
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [error, setError] = useState<unknown>(null);
  const server = fieldErrors(error, ['role', 'areaId', 'password']);
  const badPassword = (password !== '' && !passwordOk(password, user.username)) || !!server.password;
  const badArea = (needsArea(role) && !areaId) || !!server.areaId;
  useEffect(() => {
    setRole(user.role);
    setAreaId(user.areaId == null ? '' : String(user.areaId));
    setPassword('');
    setError(null);
  }, [user.id]);

  const patch = async (body: Record<string, unknown>, message: string) => {
    setError(null);
    try {
      await api(`/api/users/${user.id}`, { method: 'PATCH', body });
      onDone(message);
    } catch (err) {
      setError(err);
    }
  };
  // For a user who lost their authenticator and recovery codes: TOTP off (audited), their sessions end.
  const resetTotp = async () => {
    setError(null);
    try {
      await api(`/api/users/${user.id}/totp/reset`, { method: 'POST' });
      onDone(t('users.totpResetDone', { name: user.username }));
    } catch (err) {
      setError(err);
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    if (badArea) return;
    const body: Record<string, unknown> = {};
    if (role !== user.role) body.role = role;
    const newArea = areaId ? Number(areaId) : null;
    if (newArea !== user.areaId) body.areaId = newArea;
    if (Object.keys(body).length === 0) return onDone(t('users.nothingChanged'));
    void patch(body, t('users.saved', { name: user.username }));
  };
  const self = user.id === me.id;
  const problem = patchProblem(error);
  return (
    <div>
      <h2>{t('users.editUser', { name: user.username })}</h2>
      <p>
        <StatusChip status={user.active ? 'active' : 'inactive'} /> {user.totpEnabled && <span class="chip chip-info">{t('users.totpOn')}</span>}
      </p>
      <form onSubmit={save}>
        <label class="field">
          {t('users.role')}
          <RoleSelect value={role} onChange={setRole} disabled={self} />
          {self && <span class="muted">{t('users.ownRole')}</span>}
        </label>
        <AreaSelect value={areaId} onChange={setAreaId} label={needsArea(role) ? t('users.areaRequired') : t('users.area')} allLabel={t('area.none')} />
        {badArea && <span class="field-error">{t('users.areaNeeded')}</span>}
        <div class="actions">
          <button type="submit" class="button button-primary">
            {t('users.save')}
          </button>
        </div>
      </form>
      <h3>{t('users.resetTitle')}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (password && !badPassword) setConfirm({ kind: 'reset' });
        }}
      >
        <label class="field">
          {t('users.newPassword')}
          <input type="password" name="new-password" value={password} autoComplete="new-password" onInput={(e) => setPassword((e.target as HTMLInputElement).value)} aria-invalid={badPassword ? 'true' : undefined} />
          {badPassword && <span class="field-error">{t('users.passwordRule')}</span>}
        </label>
        <button type="submit" class="button" disabled={!password}>
          {t('users.reset')}
        </button>
      </form>
      {user.totpEnabled && (
        <>
          <h3>{t('users.totpTitle')}</h3>
          {self ? (
            <p class="muted">{t('users.totpOwn')}</p>
          ) : (
            <>
              <p class="muted">{t('users.totpResetHint')}</p>
              <button type="button" class="button button-danger" onClick={() => setConfirm({ kind: 'totp' })}>
                {t('users.totpReset')}
              </button>
            </>
          )}
        </>
      )}
      <h3>{t('users.access')}</h3>
      {user.active ? (
        <button type="button" class="button button-danger" disabled={self} onClick={() => setConfirm({ kind: 'deactivate' })}>
          {t('users.deactivate')}
        </button>
      ) : (
        <button type="button" class="button" onClick={() => setConfirm({ kind: 'activate' })}>
          {t('users.reactivate')}
        </button>
      )}
      {problem ? (
        <p class="banner banner-error" role="alert">
          ✖ {problem}
        </p>
      ) : (
        <ErrorBanner error={Object.keys(server).length ? null : error} />
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={
          confirm?.kind === 'reset'
            ? t('users.confirmReset', { name: user.username })
            : confirm?.kind === 'totp'
              ? t('users.confirmTotpReset', { name: user.username })
              : confirm?.kind === 'deactivate'
              ? t('users.confirmDeactivate', { name: user.username })
              : t('users.confirmReactivate', { name: user.username })
        }
        confirmLabel={
          confirm?.kind === 'reset' ? t('users.doReset') : confirm?.kind === 'totp' ? t('users.doTotpReset') : confirm?.kind === 'deactivate' ? t('users.doDeactivate') : t('users.doReactivate')
        }
        danger={confirm?.kind !== 'activate'}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          const c = confirm;
          setConfirm(null);
          if (c?.kind === 'reset') void patch({ password }, t('users.resetDone', { name: user.username }));
          else if (c?.kind === 'totp') void resetTotp();
          else if (c?.kind === 'deactivate') void patch({ active: false }, t('users.deactivated', { name: user.username }));
          else if (c?.kind === 'activate') void patch({ active: true }, t('users.reactivated', { name: user.username }));
        }}
      >
        <p>{confirm?.kind === 'activate' ? t('users.canSignIn') : confirm?.kind === 'totp' ? t('users.totpResetEffect') : t('users.sessionsEnd')}</p>
      </ConfirmDialog>
    </div>
  );
}

export function UsersTab() {
  const [role, setRole] = useState('');
  const [areaId, setAreaId] = useState('');
  const [active, setActive] = useState('');
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = usePagedList<UserRow>('/api/users', filtersToQuery({ role, areaId, active }));
  const done = (message: string) => {
    setNotice(message);
    setPanel(null);
    list.reload();
  };
  return (
    <div class={`layout-panel${panel ? ' has-panel' : ''}`}>
      <div>
        <div class="screen-head">
          <h1>{t('users.title')}</h1>
          <button type="button" class="button button-primary" onClick={() => setPanel({ mode: 'create' })} data-testid="new-user">
            {t('users.new')}
          </button>
        </div>
        {notice && (
          <p class="banner banner-ok" role="status">
            ✔ {notice}
          </p>
        )}
        <div class="filters">
          <label class="field">
            {t('users.role')}
            <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
              <option value="">{t('common.any')}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleName(r)}
                </option>
              ))}
            </select>
          </label>
          <AreaSelect value={areaId} onChange={setAreaId} />
          <label class="field">
            {t('users.state')}
            <select value={active} onChange={(e) => setActive((e.target as HTMLSelectElement).value)}>
              <option value="">{t('common.any')}</option>
              <option value="true">{t('users.active')}</option>
              <option value="false">{t('users.inactive')}</option>
            </select>
          </label>
        </div>
        <StackTable
          testId="users-table"
          columns={[
            { label: t('users.username'), cell: (u) => <strong>{u.username}</strong> },
            { label: t('users.role'), cell: (u) => roleName(u.role) },
            { label: t('users.area'), cell: (u) => (u.areaId == null ? '—' : areaName(u.areaId)) },
            { label: t('users.state'), cell: (u) => <StatusChip status={u.active ? 'active' : 'inactive'} /> },
            { label: t('users.created'), cell: (u) => formatDateTime(u.createdAt) },
            {
              label: t('users.edit'),
              action: true,
              cell: (u) => (
                <button type="button" class="button" aria-label={t('users.editUser', { name: u.username })} onClick={() => setPanel({ mode: 'edit', user: u })}>
                  {t('users.edit')}
                </button>
              ),
            },
          ]}
          rows={list.items}
          rowKey={(u) => u.id}
        />
        <LoadMore list={list} />
      </div>
      {panel && (
        <SidePanel label={panel.mode === 'create' ? t('users.createTitle') : t('users.editUser', { name: panel.user.username })} onClose={() => setPanel(null)}>
          {panel.mode === 'create' ? <CreateUser onDone={(name) => done(t('users.created.notice', { name }))} /> : <EditUser user={panel.user} onDone={done} />}
        </SidePanel>
      )}
    </div>
  );
}
