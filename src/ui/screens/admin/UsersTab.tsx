// Users: a table filtered by role, area and state; create and edit in a side panel. Deactivation and
// password resets ask first, since both end the user's sessions everywhere.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Role, UserRow } from '../../api/types';
import { AreaSelect } from '../../components/AreaSelect';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner, fieldErrors } from '../../components/ErrorBanner';
import { LoadMore } from '../../components/LoadMore';
import { SidePanel } from '../../components/SidePanel';
import { StatusChip } from '../../components/StatusChip';
import { usePagedList } from '../../components/usePagedList';
import { formatDateTime } from '../../format';
import { filtersToQuery } from '../../lib/filters';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { ROLES } from '../../../shared/types';

const needsArea = (role: string) => role === 'dispatcher' || role === 'supervisor';

type Panel = { mode: 'create' } | { mode: 'edit'; user: UserRow } | null;

function CreateUser({ onDone }: { onDone: (username: string) => void }) {
  const [form, setForm] = useState({ username: '', password: '', role: 'dispatcher' as Role, areaId: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error, ['username', 'password', 'role', 'areaId']);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/api/users', {
        body: { username: form.username.trim(), password: form.password, role: form.role, ...(form.areaId ? { areaId: Number(form.areaId) } : {}) },
      });
      onDone(form.username.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="create-user">
      <h2 id="create-user">New user</h2>
      <label class="field">
        Username
        <input name="username" value={form.username} required autoComplete="off" onInput={(e) => setForm({ ...form, username: (e.target as HTMLInputElement).value })} aria-invalid={errors.username ? 'true' : undefined} />
        {errors.username && <span class="field-error">{errors.username}</span>}
      </label>
      <label class="field">
        Password (at least 10 characters)
        <input name="password" type="password" value={form.password} required minLength={10} autoComplete="new-password" onInput={(e) => setForm({ ...form, password: (e.target as HTMLInputElement).value })} aria-invalid={errors.password ? 'true' : undefined} />
        {errors.password && <span class="field-error">{errors.password}</span>}
      </label>
      <label class="field">
        Role
        <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: (e.target as HTMLSelectElement).value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <AreaSelect value={form.areaId} onChange={(areaId) => setForm({ ...form, areaId })} label={needsArea(form.role) ? 'Area (required)' : 'Area'} allLabel="No area" />
      {errors.areaId && <span class="field-error">{errors.areaId}</span>}
      <ErrorBanner error={Object.keys(errors).length ? null : error} />
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}

type Confirm = { kind: 'deactivate' } | { kind: 'activate' } | { kind: 'reset' } | null;

function EditUser({ user, onDone }: { user: UserRow; onDone: (message: string) => void }) {
  const me = currentUser.value!;
  const [role, setRole] = useState<Role>(user.role);
  const [areaId, setAreaId] = useState(user.areaId == null ? '' : String(user.areaId));
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error, ['role', 'areaId', 'password']);
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
  const save = (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    if (role !== user.role) body.role = role;
    const newArea = areaId ? Number(areaId) : null;
    if (newArea !== user.areaId) body.areaId = newArea;
    if (Object.keys(body).length === 0) return onDone('Nothing changed.');
    void patch(body, `${user.username} saved.`);
  };
  const self = user.id === me.id;
  return (
    <div>
      <h2>Edit {user.username}</h2>
      <p>
        <StatusChip status={user.active ? 'active' : 'inactive'} /> {user.totpEnabled && <span class="chip chip-info">✔ TOTP on</span>}
      </p>
      <form onSubmit={save}>
        <label class="field">
          Role
          <select name="role" value={role} disabled={self} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          {self && <span class="muted">You cannot change your own role.</span>}
        </label>
        <AreaSelect value={areaId} onChange={setAreaId} label={needsArea(role) ? 'Area (required)' : 'Area'} allLabel="No area" />
        {errors.areaId && <span class="field-error">{errors.areaId}</span>}
        <div class="actions">
          <button type="submit" class="button button-primary">
            Save
          </button>
        </div>
      </form>
      <h3>Reset password</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (password) setConfirm({ kind: 'reset' });
        }}
      >
        <label class="field">
          New password
          <input type="password" name="new-password" value={password} minLength={10} autoComplete="new-password" onInput={(e) => setPassword((e.target as HTMLInputElement).value)} aria-invalid={errors.password ? 'true' : undefined} />
          {errors.password && <span class="field-error">{errors.password}</span>}
        </label>
        <button type="submit" class="button" disabled={!password}>
          Reset password…
        </button>
      </form>
      <h3>Access</h3>
      {user.active ? (
        <button type="button" class="button button-danger" disabled={self} onClick={() => setConfirm({ kind: 'deactivate' })}>
          Deactivate…
        </button>
      ) : (
        <button type="button" class="button" onClick={() => setConfirm({ kind: 'activate' })}>
          Reactivate…
        </button>
      )}
      <ErrorBanner error={Object.keys(errors).length ? null : error} />
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.kind === 'reset' ? `Reset ${user.username}'s password?` : confirm?.kind === 'deactivate' ? `Deactivate ${user.username}?` : `Reactivate ${user.username}?`}
        confirmLabel={confirm?.kind === 'reset' ? 'Reset password' : confirm?.kind === 'deactivate' ? 'Deactivate' : 'Reactivate'}
        danger={confirm?.kind !== 'activate'}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          const c = confirm;
          setConfirm(null);
          if (c?.kind === 'reset') void patch({ password }, `${user.username}'s password was reset; their sessions end within a minute.`);
          else if (c?.kind === 'deactivate') void patch({ active: false }, `${user.username} deactivated; their sessions end within a minute.`);
          else if (c?.kind === 'activate') void patch({ active: true }, `${user.username} reactivated.`);
        }}
      >
        <p>{confirm?.kind === 'activate' ? 'They can sign in again.' : 'Every session of this user ends within a minute.'}</p>
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
          <h1>Users</h1>
          <button type="button" class="button button-primary" onClick={() => setPanel({ mode: 'create' })}>
            + New user
          </button>
        </div>
        {notice && (
          <p class="banner banner-ok" role="status">
            ✔ {notice}
          </p>
        )}
        <div class="filters">
          <label class="field">
            Role
            <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
              <option value="">Any</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <AreaSelect value={areaId} onChange={setAreaId} />
          <label class="field">
            State
            <select value={active} onChange={(e) => setActive((e.target as HTMLSelectElement).value)}>
              <option value="">Any</option>
              <option value="true">Active</option>
              <option value="false">Deactivated</option>
            </select>
          </label>
        </div>
        <div class="table-wrap table-wrap-stack">
          <table data-testid="users-table" class="table-stack">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">Area</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Edit</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((u) => (
                <tr key={u.id}>
                  <td data-label="Username">
                    <strong>{u.username}</strong>
                  </td>
                  <td data-label="Role">{u.role}</td>
                  <td data-label="Area">{u.areaId == null ? '—' : areaName(u.areaId)}</td>
                  <td data-label="State">
                    <StatusChip status={u.active ? 'active' : 'inactive'} />
                  </td>
                  <td data-label="Created">{formatDateTime(u.createdAt)}</td>
                  <td class="cell-action">
                    <button type="button" class="button" aria-label={`Edit ${u.username}`} onClick={() => setPanel({ mode: 'edit', user: u })}>
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <LoadMore list={list} noun="users" />
      </div>
      {panel && (
        <SidePanel label={panel.mode === 'create' ? 'New user' : `Edit ${panel.user.username}`} onClose={() => setPanel(null)}>
          {panel.mode === 'create' ? <CreateUser onDone={(name) => done(`User ${name} created.`)} /> : <EditUser user={panel.user} onDone={done} />}
        </SidePanel>
      )}
    </div>
  );
}
