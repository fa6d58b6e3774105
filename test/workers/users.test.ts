import { describe, expect, it } from 'vitest';
import { api, tokenFor } from './helpers';
import { rows, sql } from './db';

const STRONG = 'lorry-mango-fog-41';
let n = 0;
const uniqueName = (prefix = 'u') => `${prefix}${Date.now().toString(36)}${++n}`;

async function areaId(name: string): Promise<number> {
  const [row] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = ${name}`);
  return Number(row!.id);
}

async function lastAudit(action: string, entityId: string) {
  const [row] = await rows<{ actor_username: string; before: any; after: any; ip: string | null; user_agent: string | null; request_id: string | null }>(
    sql`SELECT actor_username, before, after, ip, user_agent, request_id FROM audit_log WHERE action = ${action} AND entity_id = ${entityId} ORDER BY id DESC LIMIT 1`,
  );
  return row;
}

describe('users API', () => {
  it('is for admins only', async () => {
    for (const as of ['dispatcher', 'supervisor', 'biller']) {
      expect((await api('GET', '/api/users', { as })).status).toBe(403);
      expect((await api('POST', '/api/users', { as, body: { username: uniqueName(), password: STRONG, role: 'biller' } })).status).toBe(403);
    }
    expect((await api('GET', '/api/users')).status).toBe(401);
  });

  it('creates users, audited with IP, user agent and request id, and without the password', async () => {
    const username = uniqueName('Ravi');
    const lucknow = await areaId('Lucknow');
    const res = await api('POST', '/api/users', {
      as: 'admin',
      body: { username, password: STRONG, role: 'dispatcher', areaId: lucknow },
      headers: { 'cf-connecting-ip': '203.0.113.7', 'user-agent': 'test-agent/1', 'x-request-id': 'req-create-user-1' },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ id: expect.any(Number), username, role: 'dispatcher', areaId: lucknow, active: true, totpEnabled: false });
    expect(JSON.stringify(res.body)).not.toMatch(/hash|secret/i);
    const audit = await lastAudit('user.create', String(res.body.user.id));
    expect(audit).toMatchObject({ actor_username: 'admin', ip: '203.0.113.7', user_agent: 'test-agent/1', request_id: 'req-create-user-1' });
    expect(audit!.after).toMatchObject({ username, role: 'dispatcher', areaId: lucknow });
    expect(JSON.stringify(audit)).not.toContain(STRONG);
    // The new user can sign in with that password.
    const login = await api('POST', '/api/auth/token', { body: { username, password: STRONG } });
    expect(login.status).toBe(200);
    // Same name in another letter case: 409.
    const again = await api('POST', '/api/users', { as: 'admin', body: { username: username.toUpperCase(), password: STRONG, role: 'biller' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
  });

  it('refuses bad usernames, weak or common passwords and missing or unknown areas', async () => {
    const lucknow = await areaId('Lucknow');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ username: 'ab', password: STRONG, role: 'biller' }, /username/],
      [{ username: 'has space', password: STRONG, role: 'biller' }, /username/],
      [{ username: 'x'.repeat(33), password: STRONG, role: 'biller' }, /username/],
      [{ username: uniqueName(), password: 'short-pw', role: 'biller' }, /at least 10/],
      [{ username: uniqueName(), password: 'password1234', role: 'biller' }, /commonly used/],
      [{ username: 'meena-k', password: 'meena-k-2026-x', role: 'biller' }, /username/],
      [{ username: uniqueName(), password: STRONG, role: 'dispatcher' }, /area/],
      [{ username: uniqueName(), password: STRONG, role: 'supervisor', areaId: 987654 }, /area/],
      [{ username: uniqueName(), password: STRONG, role: 'root' }, /role/],
      [{ username: uniqueName(), password: STRONG, role: 'biller', extra: 1 }, /extra|key/i],
    ];
    for (const [body, message] of cases) {
      const res = await api('POST', '/api/users', { as: 'admin', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
      expect(res.body.error.message).toMatch(message);
    }
    const ok = await api('POST', '/api/users', { as: 'admin', body: { username: uniqueName(), password: STRONG, role: 'supervisor', areaId: lucknow } });
    expect(ok.status).toBe(201);
  });

  it('lists with filters and keyset pagination', async () => {
    const indore = await areaId('Indore');
    const page = await api('GET', `/api/users?role=dispatcher&areaId=${indore}&active=true`, { as: 'admin' });
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    for (const u of page.body.items) expect(u).toMatchObject({ role: 'dispatcher', areaId: indore, active: true });
    const first = await api('GET', '/api/users?limit=2', { as: 'admin' });
    expect(first.body.items).toHaveLength(2);
    const second = await api('GET', `/api/users?limit=2&cursor=${first.body.nextCursor}`, { as: 'admin' });
    expect(second.body.items[0].id).toBeGreaterThan(first.body.items[1].id);
    expect((await api('GET', '/api/users?active=maybe', { as: 'admin' })).status).toBe(400);
    expect((await api('GET', '/api/users?cursor=abc', { as: 'admin' })).status).toBe(400);
  });

  it('deactivation, role change and password reset end the user’s sessions; reactivation works', async () => {
    const lucknow = await areaId('Lucknow');
    const username = uniqueName('d');
    const made = await api('POST', '/api/users', { as: 'admin', body: { username, password: STRONG, role: 'dispatcher', areaId: lucknow } });
    const id = made.body.user.id;
    const old = await tokenFor(username);
    expect((await api('GET', '/api/auth/me', { headers: { authorization: `Bearer ${old}` } })).status).toBe(200);
    const off = await api('PATCH', `/api/users/${id}`, { as: 'admin', body: { active: false } });
    expect(off.status).toBe(200);
    expect(off.body.user.active).toBe(false);
    expect((await api('GET', '/api/auth/me', { headers: { authorization: `Bearer ${old}` } })).status).toBe(401);
    // The right password learns that the account is deactivated (a wrong one gets the plain 401).
    const deactivated = await api('POST', '/api/auth/token', { body: { username, password: STRONG } });
    expect(deactivated.status).toBe(403);
    expect(deactivated.body.error.code).toBe('ACCOUNT_DEACTIVATED');
    expect((await api('PATCH', `/api/users/${id}`, { as: 'admin', body: { active: true } })).status).toBe(200);
    const fresh = await api('POST', '/api/auth/token', { body: { username, password: STRONG } });
    expect(fresh.status).toBe(200);
    // Role change ends the fresh session too (it carries the old role).
    const moved = await api('PATCH', `/api/users/${id}`, { as: 'admin', body: { role: 'supervisor' } });
    expect(moved.body.user).toMatchObject({ role: 'supervisor', areaId: lucknow });
    expect((await api('GET', '/api/auth/me', { headers: { authorization: `Bearer ${fresh.body.token}` } })).status).toBe(401);
    const audit = await lastAudit('user.update', String(id));
    expect(audit!.before).toMatchObject({ role: 'dispatcher' });
    expect(audit!.after).toMatchObject({ role: 'supervisor' });
    // Password reset: the old password stops working, the new one works.
    const reset = await api('PATCH', `/api/users/${id}`, { as: 'admin', body: { password: 'new-lorry-fog-77' } });
    expect(reset.status).toBe(200);
    expect((await api('POST', '/api/auth/token', { body: { username, password: STRONG } })).status).toBe(401);
    expect((await api('POST', '/api/auth/token', { body: { username, password: 'new-lorry-fog-77' } })).status).toBe(200);
    expect((await lastAudit('user.update', String(id)))!.after).toMatchObject({ passwordReset: true });
  });

  it('refuses changing your own role, unknown users, bad ids and empty changes', async () => {
    const [me] = await rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'admin'`);
    const own = await api('PATCH', `/api/users/${me!.id}`, { as: 'admin', body: { role: 'biller' } });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('FORBIDDEN');
    expect((await api('PATCH', `/api/users/${me!.id}`, { as: 'admin', body: { active: false } })).status).toBe(403);
    expect((await api('PATCH', '/api/users/99999999', { as: 'admin', body: { active: false } })).status).toBe(404);
    expect((await api('PATCH', '/api/users/abc', { as: 'admin', body: { active: false } })).status).toBe(400);
    expect((await api('PATCH', `/api/users/${me!.id}`, { as: 'admin', body: {} })).status).toBe(400);
    expect((await api('PATCH', `/api/users/${me!.id}`, { as: 'admin', body: { password: 'qwertyuiop' } })).status).toBe(400);
  });
});

describe('areas API', () => {
  it('lists areas for every signed-in user and creates them for admins only', async () => {
    for (const as of ['dispatcher', 'supervisor', 'biller', 'admin']) {
      const res = await api('GET', '/api/areas', { as });
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: { name: string }) => a.name)).toContain('Lucknow');
    }
    expect((await api('GET', '/api/areas')).status).toBe(401);
    const name = `Area ${Date.now().toString(36)}`;
    expect((await api('POST', '/api/areas', { as: 'supervisor', body: { name } })).status).toBe(403);
    const made = await api('POST', '/api/areas', { as: 'admin', body: { name: `  ${name} ` } });
    expect(made.status).toBe(201);
    expect(made.body.area).toEqual({ id: expect.any(Number), name });
    expect((await lastAudit('area.create', String(made.body.area.id)))!.after).toEqual({ name });
    const dup = await api('POST', '/api/areas', { as: 'admin', body: { name: name.toUpperCase() } });
    expect(dup.status).toBe(409);
    for (const body of [{}, { name: '' }, { name: 5 }, { name: 'x'.repeat(65) }, { name: '<script>' }]) {
      expect((await api('POST', '/api/areas', { as: 'admin', body })).status).toBe(400);
    }
  });
});
