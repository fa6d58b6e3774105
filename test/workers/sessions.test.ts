import { env, SELF } from 'cloudflare:test';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/worker/auth/password';
import { issueToken } from '../../src/worker/auth/token';
import { api, BASE, DEV_PASSWORD, uniqueParent } from './helpers';
import { rows, sql, waitFor } from './db';
import { TestSocket } from './ws-client';

const TTL = 12 * 3600;
const IDLE = 1800;
let n = 0;

async function makeUser(role: 'admin' | 'biller' | 'dispatcher', password = 'right-password-123') {
  const username = `s${role}${Date.now().toString(36)}${++n}`;
  const [area] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = 'Lucknow'`);
  const [u] = await rows<{ id: number }>(
    sql`INSERT INTO users (username, password_hash, role, area_id) VALUES (${username}, ${await hashPassword(password)}, ${role}, ${role === 'dispatcher' ? area!.id : null}) RETURNING id`,
  );
  return { id: Number(u!.id), username, role, areaId: role === 'dispatcher' ? Number(area!.id) : null, password };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('idle timeout and absolute expiry', () => {
  it('ends a session idle for longer than SESSION_IDLE_SECONDS', async () => {
    const u = await makeUser('biller');
    const { token } = await issueToken(env.SESSION_SECRET, u, TTL, Date.now() - (IDLE + 5) * 1000, IDLE);
    const res = await api('GET', '/api/auth/me', { headers: bearer(token) });
    expect(res.status).toBe(401);
  });

  it('slides the idle deadline: devices get X-Session-Token, browsers a new cookie; never past the absolute end', async () => {
    const u = await makeUser('biller');
    const tenMinutesAgo = Date.now() - 10 * 60_000;
    const { token } = await issueToken(env.SESSION_SECRET, u, TTL, tenMinutesAgo, IDLE);
    const res = await api('GET', '/api/auth/me', { headers: bearer(token) });
    expect(res.status).toBe(200);
    const refreshed = res.headers.get('x-session-token');
    expect(refreshed).toBeTruthy();
    const idleUntil = Date.parse(res.headers.get('x-session-expires')!);
    expect(idleUntil).toBeGreaterThan(Date.now() + (IDLE - 60) * 1000);
    expect((await api('GET', '/api/auth/me', { headers: bearer(refreshed!) })).status).toBe(200);
    // A fresh token is not re-issued on every request.
    const fresh = await issueToken(env.SESSION_SECRET, u, TTL, Date.now(), IDLE);
    expect((await api('GET', '/api/auth/me', { headers: bearer(fresh.token) })).headers.get('x-session-token')).toBeNull();
    // Cookie sessions get a cookie, never the token in a header page scripts could read.
    const viaCookie = await api('GET', '/api/auth/me', { headers: { cookie: `__Host-tt_session=${token}` } });
    expect(viaCookie.headers.get('x-session-token')).toBeNull();
    expect(viaCookie.headers.get('set-cookie')).toMatch(/^__Host-tt_session=[^;]+;.*HttpOnly/i);
    // Near the absolute end, the idle deadline stops at it and the session ends there.
    const almostOver = await issueToken(env.SESSION_SECRET, u, TTL, Date.now() - (TTL - 60) * 1000 - 10 * 60_000, TTL);
    const last = await api('GET', '/api/auth/me', { headers: bearer(almostOver.token) });
    expect(last.status).toBe(401);
  });

  it('a refreshed token is the same session: signing out ends it too', async () => {
    const u = await makeUser('biller');
    const { token } = await issueToken(env.SESSION_SECRET, u, TTL, Date.now() - 10 * 60_000, IDLE);
    const refreshed = (await api('GET', '/api/auth/me', { headers: bearer(token) })).headers.get('x-session-token')!;
    expect((await api('POST', '/api/auth/logout', { headers: bearer(token) })).status).toBe(204);
    expect((await api('GET', '/api/auth/me', { headers: bearer(refreshed) })).status).toBe(401);
  });

  it('closes a parent WebSocket whose session idled out, while messages keep an active one open', async () => {
    const u = await makeUser('dispatcher');
    const qr = uniqueParent();
    // Idle deadline 1.5 s from now (issued IDLE - 1.5 s ago).
    const { token } = await issueToken(env.SESSION_SECRET, u, TTL, Date.now() - IDLE * 1000 + 1500, IDLE);
    expect((await api('POST', `/api/parents/${qr}/open`, { headers: bearer(token) })).status).toBe(200);
    const connect = async () => {
      const res = await SELF.fetch(`${BASE}/api/parents/${qr}/ws`, { headers: { Upgrade: 'websocket', ...bearer(token) } });
      res.webSocket!.accept();
      const ws = new TestSocket(res.webSocket!);
      await ws.next((m) => m.type === 'state');
      return ws;
    };
    const [active, idle] = [await connect(), await connect()];
    active.send({ type: 'scan', qr: `CA${Date.now().toString(36).toUpperCase()}`, scanId: `act-${Date.now()}` });
    await active.next((m) => m.type === 'ack');
    await new Promise((r) => setTimeout(r, 2000));
    idle.send({ type: 'scan', qr: 'CIDLE00001', scanId: `idle-${Date.now()}` });
    expect((await waitFor(async () => idle.closed, (c) => c !== null, 5000))!.code).toBe(4001);
    active.send({ type: 'scan', qr: `CB${Date.now().toString(36).toUpperCase()}`, scanId: `act2-${Date.now()}` });
    expect((await active.next((m) => m.type === 'ack')).result).toBe('linked');
    expect(active.closed).toBeNull();
  });

  it('closes a live-board WebSocket when its session is signed out', async () => {
    const issued = await api('POST', '/api/auth/token', { body: { username: 'supervisor', password: DEV_PASSWORD }, headers: { 'cf-connecting-ip': '10.77.0.1' } });
    const res = await SELF.fetch(`${BASE}/api/live/ws`, { headers: { Upgrade: 'websocket', ...bearer(issued.body.token) } });
    res.webSocket!.accept();
    const ws = new TestSocket(res.webSocket!);
    await ws.next((m) => m.type === 'snapshot');
    expect((await api('POST', '/api/auth/logout', { headers: bearer(issued.body.token) })).status).toBe(204);
    ws.send('snapshot please');
    expect((await waitFor(async () => ws.closed, (c) => c !== null, 5000))!.code).toBe(4001);
  });
});

describe('own password change', () => {
  it('needs the current password, applies the policy, ends other sessions and keeps the caller signed in', async () => {
    const u = await makeUser('biller');
    const login = (password: string) => api('POST', '/api/auth/token', { body: { username: u.username, password }, headers: { 'cf-connecting-ip': `10.55.${n}.1` } });
    const a = (await login(u.password)).body.token;
    const b = (await login(u.password)).body.token;
    const wrong = await api('POST', '/api/auth/password', { headers: bearer(a), body: { currentPassword: 'not-it-at-all', newPassword: 'brand-new-pass-42' } });
    expect(wrong.status).toBe(403);
    const weak = await api('POST', '/api/auth/password', { headers: bearer(a), body: { currentPassword: u.password, newPassword: 'password1234' } });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/commonly used/);
    const ok = await api('POST', '/api/auth/password', { headers: bearer(a), body: { currentPassword: u.password, newPassword: 'brand-new-pass-42' } });
    expect(ok.status).toBe(200);
    expect(typeof ok.body.token).toBe('string');
    expect((await api('GET', '/api/auth/me', { headers: bearer(b) })).status).toBe(401);
    expect((await api('GET', '/api/auth/me', { headers: bearer(a) })).status).toBe(401);
    expect((await api('GET', '/api/auth/me', { headers: bearer(ok.body.token) })).status).toBe(200);
    expect((await login(u.password)).status).toBe(401);
    expect((await login('brand-new-pass-42')).status).toBe(200);
    const audit = await rows<{ action: string; after: any }>(sql`SELECT action, after FROM audit_log WHERE entity_id = ${String(u.id)} AND action = 'auth.password_change'`);
    expect(audit).toEqual([{ action: 'auth.password_change', after: { passwordChanged: true } }]);
  });
});

describe('sign-in audit', () => {
  it('records successful and failed sign-ins with the username tried, IP and user agent', async () => {
    const u = await makeUser('biller');
    const headers = { 'cf-connecting-ip': '198.51.100.23', 'user-agent': 'scanner/2.0' };
    expect((await api('POST', '/api/auth/token', { body: { username: u.username, password: 'wrong-password-1' }, headers })).status).toBe(401);
    expect((await api('POST', '/api/auth/token', { body: { username: `${u.username}-nobody`, password: 'x' }, headers })).status).toBe(401);
    expect((await api('POST', '/api/auth/login', { body: { username: u.username, password: u.password }, headers })).status).toBe(200);
    const audit = await rows<{ action: string; actor_username: string | null; entity_id: string | null; after: any; ip: string; user_agent: string }>(
      sql`SELECT action, actor_username, entity_id, after, ip, user_agent FROM audit_log WHERE ip = '198.51.100.23' AND after->>'username' LIKE ${`${u.username}%`} OR (ip = '198.51.100.23' AND entity_id = ${String(u.id)}) ORDER BY id`,
    );
    expect(audit.map((a) => [a.action, a.after?.reason ?? null])).toEqual([
      ['auth.login_failed', 'wrong_password'],
      ['auth.login_failed', 'unknown_user'],
      ['auth.login', null],
    ]);
    expect(audit[1]!.entity_id).toBeNull();
    expect(audit[1]!.after.username).toBe(`${u.username}-nobody`);
    expect(audit[2]).toMatchObject({ actor_username: u.username, user_agent: 'scanner/2.0' });
  });
});

describe('TOTP for admins', () => {
  it('setup, verify with recovery codes, then sign-in needs a code; replays and used recovery codes are refused', async () => {
    const u = await makeUser('admin');
    const ip = { 'cf-connecting-ip': '10.66.0.1' };
    const token = (await api('POST', '/api/auth/token', { body: { username: u.username, password: u.password }, headers: ip })).body.token;
    // Not for other roles.
    expect((await api('POST', '/api/auth/totp/setup', { as: 'biller' })).status).toBe(403);
    const setup = await api('POST', '/api/auth/totp/setup', { headers: bearer(token), body: { currentPassword: u.password } });
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/TraceTrack:/);
    const totp = new TOTP({ issuer: 'TraceTrack', label: u.username, secret: Secret.fromBase32(setup.body.secret) });
    // Set up but not verified: sign-in needs no code yet.
    expect((await api('POST', '/api/auth/token', { body: { username: u.username, password: u.password }, headers: ip })).status).toBe(200);
    expect((await api('POST', '/api/auth/totp/verify', { headers: bearer(token), body: { otp: '000000' === totp.generate() ? '111111' : '000000', currentPassword: u.password } })).status).toBe(400);
    const step = Math.floor(Date.now() / 30_000);
    const verifyCode = totp.generate({ timestamp: (step - 1) * 30_000 });
    const verified = await api('POST', '/api/auth/totp/verify', { headers: bearer(token), body: { otp: verifyCode, currentPassword: u.password } });
    expect(verified.status).toBe(200);
    expect(verified.body.recoveryCodes).toHaveLength(10);
    const [row] = await rows<{ totp_enabled: boolean; totp_recovery_codes: string[] }>(sql`SELECT totp_enabled, totp_recovery_codes FROM users WHERE id = ${u.id}`);
    expect(row!.totp_enabled).toBe(true);
    expect(JSON.stringify(row!.totp_recovery_codes)).not.toContain(verified.body.recoveryCodes[0].replace('-', ''));

    const signIn = (otp?: string) => api('POST', '/api/auth/token', { body: { username: u.username, password: u.password, ...(otp === undefined ? {} : { otp }) }, headers: ip });
    const missing = await signIn();
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('OTP_REQUIRED');
    // A wrong password still answers the plain 401 (the second step is not revealed).
    const wrongPw = await api('POST', '/api/auth/token', { body: { username: u.username, password: 'wrong-password-9' }, headers: ip });
    expect(wrongPw.body.error.code).toBe('UNAUTHENTICATED');
    const current = totp.generate();
    expect((await signIn(current)).status).toBe(200);
    // The same code again (replay within its window) is refused, as is the one used to verify.
    const replay = await signIn(current);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('OTP_REQUIRED');
    expect((await signIn(verifyCode)).status).toBe(401);
    // Recovery codes work once each.
    const recovery = verified.body.recoveryCodes[3];
    expect((await signIn(recovery.toUpperCase())).status).toBe(200);
    expect((await signIn(recovery)).status).toBe(401);
    const actions = await rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity_id = ${String(u.id)} AND action LIKE 'auth.totp%' ORDER BY id`);
    expect(actions.map((a) => a.action)).toEqual(['auth.totp_setup', 'auth.totp_enable']);
    const failures = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = ${String(u.id)} AND action = 'auth.login_failed' AND after->>'reason' = 'wrong_otp'`);
    expect(Number(failures[0]!.n)).toBe(3);
    // Enabled: a second setup is refused.
    expect((await api('POST', '/api/auth/totp/setup', { headers: bearer(token), body: { currentPassword: u.password } })).status).toBe(409);
  });
});
