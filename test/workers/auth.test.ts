import { createExecutionContext, env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/worker/index';
import { api, BASE, DEV_PASSWORD, tokenFor } from './helpers';

describe('sign-in', () => {
  it('sets an HttpOnly SameSite session cookie that authenticates later requests', async () => {
    const res = await SELF.fetch(`${BASE}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: BASE },
      body: JSON.stringify({ username: ' Dispatcher ', password: DEV_PASSWORD }),
    });
    expect(res.status).toBe(200);
    // timeZone: the deployment's setting, so the UI shows times in it (the scanner had no other source);
    // locale: the user's language, null until they choose one (user-settings.test.ts).
    expect(await res.json()).toEqual({ user: { id: expect.any(Number), username: 'dispatcher', role: 'dispatcher', areaId: expect.any(Number) }, timeZone: env.TIME_ZONE, locale: null });
    const cookie = res.headers.get('set-cookie') ?? '';
    // __Host-: Secure, Path=/ and no Domain, even on http://localhost (Chromium and Firefox accept it there).
    expect(cookie).toMatch(/^__Host-tt_session=[^;]+/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/i);
    expect(cookie).not.toMatch(/Domain=/i);
    const session = cookie.split(';')[0]!;
    const me = await api('GET', '/api/auth/me', { headers: { cookie: session } });
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('dispatcher');
    expect(me.body.timeZone).toBe('Asia/Kolkata');
    const out = await SELF.fetch(`${BASE}/api/auth/logout`, { method: 'POST', headers: { cookie: session, origin: BASE } });
    expect(out.status).toBe(204);
    // The deletion carries the same prefix rules, or the browser would ignore it.
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-tt_session=;.*Max-Age=0/i);
    expect(out.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    // The old, unprefixed cookie is not a session any more.
    expect((await api('GET', '/api/auth/me', { headers: { cookie: session.replace('__Host-', '') } })).status).toBe(401);
  });

  it("tells the UI the deployment's TIME_ZONE setting (whatever it is set to)", async () => {
    const request = new Request(`${BASE}/api/auth/me`, { headers: { authorization: `Bearer ${await tokenFor('dispatcher')}` } });
    const res = await worker.fetch!(request as Request<unknown, IncomingRequestCfProperties>, { ...env, TIME_ZONE: 'Europe/London' }, createExecutionContext());
    expect(res.status).toBe(200);
    expect(((await res.json()) as { timeZone: string }).timeZone).toBe('Europe/London');
  });

  it('issues bearer tokens with an expiry for devices', async () => {
    const res = await api('POST', '/api/auth/token', { body: { username: 'supervisor', password: DEV_PASSWORD } });
    expect(res.status).toBe(200);
    expect(typeof res.body.token).toBe('string');
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    expect(res.body.user).toMatchObject({ username: 'supervisor', role: 'supervisor' });
    const me = await api('GET', '/api/auth/me', { headers: { authorization: `Bearer ${res.body.token}` } });
    expect(me.body.user.role).toBe('supervisor');
  });

  it('answers the same 401 for an unknown user and a wrong password', async () => {
    const unknown = await api('POST', '/api/auth/login', { body: { username: 'nobody-here', password: DEV_PASSWORD } });
    const wrong = await api('POST', '/api/auth/login', { body: { username: 'dispatcher', password: 'not-the-password' } });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('validates the body', async () => {
    for (const body of [{}, { username: 'a' }, { username: 'a', password: 5 }, { username: 'x'.repeat(65), password: 'p' }]) {
      const res = await api('POST', '/api/auth/login', { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    expect((await api('POST', '/api/auth/login', { rawBody: '{"username":' })).body.error.code).toBe('INVALID_INPUT');
    expect((await api('GET', '/api/auth/me')).status).toBe(401);
  });
});

describe('signing out', () => {
  it('ends the session for every later request and for its open WebSocket', async () => {
    const { TestSocket } = await import('./ws-client');
    const issued = await api('POST', '/api/auth/token', { body: { username: 'dispatcher', password: DEV_PASSWORD }, headers: { 'cf-connecting-ip': '10.9.0.1' } });
    const bearer = { authorization: `Bearer ${issued.body.token}` };
    const qr = `SB${String(Date.now() % 90000 + 10000)}`;
    expect((await api('POST', `/api/parents/${qr}/open`, { headers: bearer })).status).toBe(200);
    const res = await SELF.fetch(`${BASE}/api/parents/${qr}/ws`, { headers: { Upgrade: 'websocket', ...bearer } });
    res.webSocket!.accept();
    const ws = new TestSocket(res.webSocket!);
    await ws.next((m) => m.type === 'state');

    const out = await api('POST', '/api/auth/logout', { headers: bearer });
    expect(out.status).toBe(204);
    const after = await api('GET', '/api/auth/me', { headers: bearer });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
    ws.send({ type: 'scan', qr: 'AFTERLOGOUT1', scanId: 'after-logout' });
    const { waitFor } = await import('./db');
    const closed = await waitFor(async () => ws.closed, (c) => c !== null, 5000);
    expect(closed!.code).toBe(4001);
    // Other sessions of the same user are unaffected.
    expect((await api('GET', '/api/auth/me', { as: 'dispatcher' })).status).toBe(200);
  });
});

describe('cutting off a user', () => {
  it('ends every session issued before the cutoff and accepts new ones', async () => {
    const { env } = await import('cloudflare:test');
    const { rows, sql } = await import('./db');
    const { issueToken } = await import('../../src/worker/auth/token');
    const { revokeUser } = await import('../../src/durable/auth/revocation');
    const [u] = await rows<{ id: number }>(sql`INSERT INTO users (username, password_hash, role) VALUES (${`cut${Date.now() % 100000}`}, 'x', 'biller') RETURNING id`);
    const user = { id: u!.id, username: 'cut', role: 'biller' as const, areaId: null };
    const before = (await issueToken(env.SESSION_SECRET, user, 3600)).token;
    expect((await api('GET', '/api/auth/me', { headers: { authorization: `Bearer ${before}` } })).status).toBe(200);
    await revokeUser(env, user.id);
    expect((await api('GET', '/api/auth/me', { headers: { authorization: `Bearer ${before}` } })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 5));
    const after = (await issueToken(env.SESSION_SECRET, user, 3600)).token;
    expect((await api('GET', '/api/auth/me', { headers: { authorization: `Bearer ${after}` } })).status).toBe(200);
  });
});
