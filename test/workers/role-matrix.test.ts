// Every route × every role (and anonymous) against the one declared matrix in test/support/role-matrix.ts.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { app } from '../../src/worker/app';
import { issueToken } from '../../src/worker/auth/token';
import type { Role } from '../../src/shared/types';
import { CALLERS, concretePath, matrixKey, ROUTE_MATRIX, type Caller } from '../support/role-matrix';
import { OPERATIONS } from '../../src/worker/openapi/operations';
import { contractProblems, openApiPath, operationFor } from '../support/contract';
import { api } from './helpers';
import { rows, sql } from './db';

/** A fresh session per call, so that routes like logout cannot spend another call's token. */
async function freshToken(caller: Exclude<Caller, 'anonymous'>): Promise<string> {
  const [u] = await rows<{ id: number; username: string; role: Role; area_id: number | null }>(
    sql`SELECT id, username, role, area_id FROM users WHERE username = ${caller}`,
  );
  return (await issueToken(env.SESSION_SECRET, { id: u!.id, username: u!.username, role: u!.role, areaId: u!.area_id }, 3600)).token;
}

describe('role matrix', () => {
  it('declares every route the app registers, and nothing else', () => {
    const registered = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => matrixKey(r.method, r.path)));
    const declared = new Set(ROUTE_MATRIX.map((r) => matrixKey(r.method, r.path)));
    expect([...registered].filter((k) => !declared.has(k)), 'routes missing from test/support/role-matrix.ts').toEqual([]);
    expect([...declared].filter((k) => !registered.has(k)), 'matrix entries for routes that do not exist').toEqual([]);
    expect(declared.size).toBe(ROUTE_MATRIX.length);
  });

  it('is the access the OpenAPI document states, operation for operation', () => {
    const documented = new Set(OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`));
    const routes = new Set(ROUTE_MATRIX.map((r) => `${r.method} ${openApiPath(r.path)}`));
    expect([...routes].filter((k) => !documented.has(k)), 'routes missing from src/worker/openapi/operations.ts').toEqual([]);
    expect([...documented].filter((k) => !routes.has(k)), 'documented operations that do not exist').toEqual([]);
    for (const rule of ROUTE_MATRIX) {
      const access = operationFor(rule.method, rule.path)!.access;
      const allowed = access === 'public' ? CALLERS : access === 'user' ? CALLERS.filter((c) => c !== 'anonymous') : access;
      expect([...allowed].sort(), `${rule.method} ${rule.path}`).toEqual([...rule.allow].sort());
    }
  });

  for (const rule of ROUTE_MATRIX) {
    it(`${rule.method} ${rule.path}: ${rule.allow.join(', ')}`, async () => {
      const answers: Record<string, number> = {};
      for (const caller of CALLERS) {
        const headers: Record<string, string> = { 'cf-connecting-ip': `10.200.${CALLERS.indexOf(caller)}.1` };
        if (caller !== 'anonymous') headers.authorization = `Bearer ${await freshToken(caller)}`;
        const res = await api(rule.method, concretePath(rule.path), { headers, body: rule.body });
        answers[caller] = res.status;
        expect(res.status, `${caller}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        // Every answer, allowed or refused, has the shape the OpenAPI document gives it.
        expect(contractProblems(rule.method, rule.path, res), `${caller}: ${JSON.stringify(res.body).slice(0, 400)}`).toEqual([]);
      }
      const expected = Object.fromEntries(CALLERS.map((c) => [c, rule.allow.includes(c) ? 'allowed' : c === 'anonymous' ? 401 : 403]));
      // Allowed means "let through": any answer but 401/403 (a 400 for the sample body or a 404 for the sample id is fine).
      const actual = Object.fromEntries(CALLERS.map((c) => [c, answers[c] === 401 || answers[c] === 403 ? answers[c] : 'allowed']));
      expect(actual).toEqual(expected);
    });
  }
});
