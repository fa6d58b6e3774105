// Issue 10, point 5: a session alone cannot change what protects an account (TOTP on/off, one's own
// password, also through PATCH /api/users/{id}); admins reset another user's TOTP, audited; the registry
// rebuild writes audit rows.
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/worker/auth/password';
import { api } from './helpers';
import { rows, sql } from './db';

const PASSWORD = 'right-password-123';
let n = 0;

async function makeAdmin(totpSecret?: string) {
  const username = `acct${Date.now().toString(36)}${++n}`;
  const [u] = await rows<{ id: number }>(sql`INSERT INTO users (username, password_hash, role, totp_secret, totp_enabled)
    VALUES (${username}, ${await hashPassword(PASSWORD)}, 'admin', ${totpSecret ?? null}, ${totpSecret !== undefined}) RETURNING id`);
  const ip = { 'cf-connecting-ip': `10.${180 + (n % 50)}.${n % 250}.${(Date.now() % 250) + 1}` };
  const code = totpSecret ? new TOTP({ secret: Secret.fromBase32(totpSecret) }).generate() : undefined;
  const signedIn = await api('POST', '/api/auth/token', { body: { username, password: PASSWORD, ...(code ? { otp: code } : {}) }, headers: ip });
  expect(signedIn.status).toBe(200);
  return { id: Number(u!.id), username, token: signedIn.body.token as string, ip };
}

const as = (u: { token: string; ip: Record<string, string> }) => ({ authorization: `Bearer ${u.token}`, ...u.ip });
const auditActions = async (id: number) =>
  (await rows<{ action: string; actor_username: string }>(sql`SELECT action, actor_username FROM audit_log WHERE entity_id = ${String(id)} AND entity_type = 'user' ORDER BY id`));

describe('turning TOTP on needs the current password', () => {
  it('setup and verify refuse a session without it, or with a wrong one', async () => {
    const me = await makeAdmin();
    expect((await api('POST', '/api/auth/totp/setup', { headers: as(me) })).status).toBe(400);
    expect((await api('POST', '/api/auth/totp/setup', { headers: as(me), body: {} })).body.error.message).toMatch(/currentPassword/);
    const wrong = await api('POST', '/api/auth/totp/setup', { headers: as(me), body: { currentPassword: 'not-my-password' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('FORBIDDEN');
    const setup = await api('POST', '/api/auth/totp/setup', { headers: as(me), body: { currentPassword: PASSWORD } });
    expect(setup.status).toBe(200);
    const code = new TOTP({ secret: Secret.fromBase32(setup.body.secret) }).generate();
    expect((await api('POST', '/api/auth/totp/verify', { headers: as(me), body: { otp: code } })).status).toBe(400);
    expect((await api('POST', '/api/auth/totp/verify', { headers: as(me), body: { otp: code, currentPassword: 'not-my-password' } })).status).toBe(403);
    const [row] = await rows<{ totp_enabled: boolean }>(sql`SELECT totp_enabled FROM users WHERE id = ${me.id}`);
    expect(row!.totp_enabled).toBe(false);
    expect((await api('POST', '/api/auth/totp/verify', { headers: as(me), body: { otp: code, currentPassword: PASSWORD } })).status).toBe(200);
  });
});

describe('turning TOTP off', () => {
  it('needs the current password and a current code, and is audited', async () => {
    const secret = new Secret({ size: 20 }).base32;
    const me = await makeAdmin(secret);
    const totp = new TOTP({ secret: Secret.fromBase32(secret) });
    const later = totp.generate({ timestamp: Date.now() + 30_000 });
    expect((await api('POST', '/api/auth/totp/disable', { headers: as(me), body: { otp: later } })).status).toBe(400);
    expect((await api('POST', '/api/auth/totp/disable', { headers: as(me), body: { currentPassword: 'not-my-password', otp: later } })).status).toBe(403);
    expect((await api('POST', '/api/auth/totp/disable', { headers: as(me), body: { currentPassword: PASSWORD, otp: '12345x' } })).status).toBe(400);
    const off = await api('POST', '/api/auth/totp/disable', { headers: as(me), body: { currentPassword: PASSWORD, otp: later } });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ enabled: false });
    const [row] = await rows<{ totp_enabled: boolean; totp_secret: string | null }>(sql`SELECT totp_enabled, totp_secret FROM users WHERE id = ${me.id}`);
    expect(row).toEqual({ totp_enabled: false, totp_secret: null });
    expect((await auditActions(me.id)).map((a) => a.action)).toContain('auth.totp_disable');
    expect((await api('POST', '/api/auth/token', { body: { username: me.username, password: PASSWORD }, headers: me.ip })).status).toBe(200);
    expect((await api('POST', '/api/auth/totp/disable', { headers: as(me), body: { currentPassword: PASSWORD, otp: later } })).status).toBe(409);
  });

  it('an admin resets another user’s TOTP: audited, their sessions end, they sign in with the password alone', async () => {
    const secret = new Secret({ size: 20 }).base32;
    const target = await makeAdmin(secret);
    const reset = await api('POST', `/api/users/${target.id}/totp/reset`, { as: 'admin' });
    expect(reset.status).toBe(200);
    expect(reset.body.user).toMatchObject({ id: target.id, totpEnabled: false });
    expect(await auditActions(target.id)).toContainEqual({ action: 'user.totp_reset', actor_username: 'admin' });
    expect((await api('GET', '/api/auth/me', { headers: as(target) })).status).toBe(401);
    expect((await api('POST', '/api/auth/token', { body: { username: target.username, password: PASSWORD }, headers: target.ip })).status).toBe(200);
    // Not for non-admins, not on oneself (that is /api/auth/totp/disable), not for unknown users.
    expect((await api('POST', `/api/users/${target.id}/totp/reset`, { as: 'supervisor' })).status).toBe(403);
    const [admin] = await rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'admin'`);
    expect((await api('POST', `/api/users/${admin!.id}/totp/reset`, { as: 'admin' })).status).toBe(403);
    expect((await api('POST', '/api/users/2147480001/totp/reset', { as: 'admin' })).status).toBe(404);
  });
});

describe("an admin's own password through PATCH /api/users/{id}", () => {
  it('needs the current password; the caller continues in a fresh session, the others end', async () => {
    const me = await makeAdmin();
    const other = (await api('POST', '/api/auth/token', { body: { username: me.username, password: PASSWORD }, headers: me.ip })).body.token as string;
    const path = `/api/users/${me.id}`;
    const missing = await api('PATCH', path, { headers: as(me), body: { password: 'brand-new-pass-42' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/currentPassword/);
    expect((await api('PATCH', path, { headers: as(me), body: { password: 'brand-new-pass-42', currentPassword: 'not-my-password' } })).status).toBe(403);
    expect((await api('POST', '/api/auth/token', { body: { username: me.username, password: 'brand-new-pass-42' }, headers: me.ip })).status).toBe(401);
    const ok = await api('PATCH', path, { headers: as(me), body: { password: 'brand-new-pass-42', currentPassword: PASSWORD } });
    expect(ok.status).toBe(200);
    const fresh = ok.headers.get('x-session-token');
    expect(fresh).toBeTruthy();
    expect((await api('GET', '/api/auth/me', { headers: { authorization: `Bearer ${fresh}` } })).status).toBe(200);
    expect((await api('GET', '/api/auth/me', { headers: { authorization: `Bearer ${other}` } })).status).toBe(401);
    expect((await api('POST', '/api/auth/token', { body: { username: me.username, password: 'brand-new-pass-42' }, headers: me.ip })).status).toBe(200);
    // currentPassword belongs to one's own password change only.
    const [admin] = await rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'biller'`);
    expect((await api('PATCH', `/api/users/${admin!.id}`, { as: 'admin', body: { active: true, currentPassword: 'x' } })).status).toBe(400);
  });
});

describe('registry rebuild', () => {
  it('writes an audit row per page, with who asked', async () => {
    const before = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'registry.rebuild'`);
    const page = await api('POST', '/api/admin/registry/rebuild', { as: 'admin', body: { limit: 5 }, headers: { 'cf-connecting-ip': '198.51.100.44' } });
    expect(page.status).toBe(200);
    const [row] = await rows<{ actor_username: string; ip: string; after: { imported: number; cursor: string | null } }>(
      sql`SELECT actor_username, ip, after FROM audit_log WHERE action = 'registry.rebuild' ORDER BY id DESC LIMIT 1`,
    );
    expect(row).toMatchObject({ actor_username: 'admin', ip: '198.51.100.44', after: { imported: page.body.imported, cursor: null } });
    const after = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'registry.rebuild'`);
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) + 1);
  });
});
