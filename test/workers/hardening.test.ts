import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, BASE, DEV_PASSWORD, tokenFor } from './helpers';

describe('security headers', () => {
  it('are on API answers, errors and health checks; HSTS only outside localhost', async () => {
    for (const res of [await api('GET', '/api/auth/me', { as: 'biller' }), await api('GET', '/api/nothing-here', { as: 'biller' }), await api('GET', '/health')]) {
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
    const remote = await SELF.fetch('https://tracetrack.example.com/health');
    expect(remote.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect((await api('GET', '/api/auth/me', { as: 'biller' })).headers.get('cache-control')).toBe('no-store');
  });
});

describe('Origin check on state-changing requests', () => {
  const body = { username: 'nobody-x', password: 'whatever-123' };

  it('refuses a foreign Origin, with or without credentials', async () => {
    const variants: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { origin: 'null' }, { origin: 'https://evil.example', authorization: `Bearer ${await tokenFor('admin')}` }];
    for (const headers of variants) {
      const res = await api('POST', '/api/areas', { body: { name: 'Evil Area' }, headers });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await api('POST', '/api/auth/login', { body, headers: { origin: 'http://localhost:9999' } })).status).toBe(403);
  });

  it('refuses a cookie-signed request without Origin, allows bearer tokens and anonymous sign-in without one', async () => {
    const login = await api('POST', '/api/auth/login', { body: { username: 'biller', password: DEV_PASSWORD }, headers: { 'cf-connecting-ip': '10.123.0.1' } });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const noOrigin = await api('POST', '/api/auth/logout', { headers: { cookie }, noOrigin: true });
    expect(noOrigin.status).toBe(403);
    // Reading needs no Origin.
    expect((await api('GET', '/api/auth/me', { headers: { cookie }, noOrigin: true })).status).toBe(200);
    expect((await api('POST', '/api/auth/logout', { headers: { cookie } })).status).toBe(204);
    const device = await api('POST', '/api/auth/token', { body: { username: 'biller', password: DEV_PASSWORD }, headers: { 'cf-connecting-ip': '10.123.0.2' }, noOrigin: true });
    expect(device.status).toBe(200);
    expect((await api('POST', '/api/auth/logout', { headers: { authorization: `Bearer ${device.body.token}` }, noOrigin: true })).status).toBe(204);
  });

  it('refuses a cross-site WebSocket upgrade', async () => {
    const res = await SELF.fetch(`${BASE}/api/live/ws`, { headers: { Upgrade: 'websocket', origin: 'https://evil.example', authorization: `Bearer ${await tokenFor('admin')}` } });
    expect(res.status).toBe(403);
    expect(res.webSocket).toBeNull();
  });

  it('sends no CORS headers unless ALLOWED_ORIGINS lists the origin', async () => {
    const res = await api('GET', '/api/areas', { as: 'admin', headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await SELF.fetch(`${BASE}/api/areas`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('ALLOWED_ORIGINS', () => {
  it('lets a listed origin send state-changing requests and answers it with CORS headers', async () => {
    const { env } = await import('cloudflare:test');
    const { app } = await import('../../src/worker/app');
    const listed = { ...env, ALLOWED_ORIGINS: 'https://ops.example.com, https://other.example.com' };
    const preflight = await app.request(
      `${BASE}/api/areas`,
      { method: 'OPTIONS', headers: { origin: 'https://ops.example.com', 'access-control-request-method': 'POST' } },
      listed,
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const token = await tokenFor('admin');
    const post = await app.request(
      `${BASE}/api/areas`,
      { method: 'POST', headers: { origin: 'https://ops.example.com', authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' },
      listed,
    );
    // Past the Origin check (the empty body is then refused by validation).
    expect(post.status).toBe(400);
    expect(post.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    const unlisted = await app.request(
      `${BASE}/api/areas`,
      { method: 'POST', headers: { origin: 'https://evil.example', authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' },
      listed,
    );
    expect(unlisted.status).toBe(403);
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('NUL characters', () => {
  it('in a path parameter or a query filter are a 400 before any database call', async () => {
    for (const path of ['/api/bags/%00', '/api/bags/SB%0000001', '/api/bags?q=%00', '/api/scans?parentQr=SB0%000', '/api/audit?actor=%00', '/api/bills?q=a%00b']) {
      const res = await api('GET', path, { as: 'admin' });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('INVALID_INPUT');
    }
  });

  it('in a body string are a 400 and store nothing', async () => {
    const name = `Nul\u0000Area${Date.now()}`;
    const res = await api('POST', '/api/areas', { as: 'admin', body: { name } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    const list = await api('GET', '/api/areas', { as: 'admin' });
    expect(JSON.stringify(list.body)).not.toContain('NulArea');
  });
});
