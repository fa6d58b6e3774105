import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, BASE, DEV_PASSWORD } from './helpers';

describe('sign-in', () => {
  it('sets an HttpOnly SameSite session cookie that authenticates later requests', async () => {
    const res = await SELF.fetch(`${BASE}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: ' Dispatcher ', password: DEV_PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: { id: expect.any(Number), username: 'dispatcher', role: 'dispatcher', areaId: expect.any(Number) } });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^tt_session=[^;]+/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = cookie.split(';')[0]!;
    const me = await api('GET', '/api/auth/me', { headers: { cookie: session } });
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('dispatcher');
    const out = await SELF.fetch(`${BASE}/api/auth/logout`, { method: 'POST', headers: { cookie: session } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/tt_session=;/);
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
