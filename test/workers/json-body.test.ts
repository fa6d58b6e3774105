// Every JSON route (each `validate('json', …)` of src/worker/http/validate.ts) refuses a body that does not
// say it is JSON with a 415 naming application/json: before, Hono's validator read it as `{}`, which
// answered a misleading "required" 400, or a 200 that ignored the body where every field is optional.
import { describe, expect, it } from 'vitest';
import { SELF } from 'cloudflare:test';
import { api, BASE, tokenFor } from './helpers';

const cases = [
  { as: undefined, method: 'POST', path: '/api/auth/login', body: { username: 'dispatcher', password: 'tracetrack-dev' } },
  { as: 'admin', method: 'POST', path: '/api/admin/registry/rebuild', body: { limit: 10 } },
  { as: 'admin', method: 'POST', path: '/api/areas', body: { name: 'Media Type Area' } },
  { as: 'dispatcher', method: 'PATCH', path: '/api/auth/me', body: { locale: 'hi' } },
] as const;

describe('JSON routes and Content-Type', () => {
  it('answer 415 naming application/json for text/plain, form and missing Content-Type', async () => {
    for (const { as, method, path, body } of cases) {
      for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', undefined]) {
        const headers: Record<string, string> = { 'cf-connecting-ip': '10.41.5.1' };
        // The helper adds application/json to a body without a type: send without it through fetch() here.
        const res = type
          ? await api(method, path, { as, rawBody: JSON.stringify(body), headers: { ...headers, 'content-type': type } })
          : await noTypeRequest(method, path, as, JSON.stringify(body), headers);
        expect({ path, type, status: res.status }).toEqual({ path, type, status: 415 });
        expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
        expect(res.body.error.message).toContain('application/json');
        expect(res.body.error.expected).toBe('application/json');
      }
    }
  });

  it('still take application/json with parameters, and +json', async () => {
    const res = await api('POST', '/api/areas', { as: 'admin', rawBody: JSON.stringify({ name: 'Media Type Area 2' }), headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(res.status).toBe(201);
    const vnd = await api('POST', '/api/areas', { as: 'admin', rawBody: JSON.stringify({ name: 'Media Type Area 3' }), headers: { 'content-type': 'application/vnd.api+json' } });
    expect(vnd.status).toBe(201);
  });

  it('judge a request with no body and no Content-Type as an empty object, as before', async () => {
    const res = await noTypeRequest('POST', '/api/auth/login', undefined, undefined, { 'cf-connecting-ip': '10.41.5.2' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
  });
});

async function noTypeRequest(method: string, path: string, as: string | undefined, body: string | undefined, headers: Record<string, string>) {
  const all: Record<string, string> = { origin: BASE, ...headers };
  if (as) all.authorization = `Bearer ${await tokenFor(as)}`;
  // A Blob body has no type, so fetch() adds no Content-Type (a string would get text/plain).
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers: all, body: body === undefined ? undefined : new Blob([body]) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
