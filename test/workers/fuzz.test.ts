// Property-based fuzzing of every route in the role matrix, as an admin and as a dispatcher: random and
// hostile path parameters, query strings, bodies and headers. Properties: never a 5xx; every 4xx is the
// contract's JSON error; a 4xx changes no stored data.
//
// "Stored data" is fingerprinted from what this file's requests could change and other test files (which
// run in parallel on the same database) do not: the seeded users and the fuzz users (their identity,
// credentials, role, area and TOTP columns; sign-in throttling lives in the RateLimiter objects), the areas that existed
// at the start, and every audit row the fuzz users' requests wrote (rows derived from Durable Object
// events arrive later through the flush, after an earlier 2xx). Parent bags live in their Durable Objects
// first, so for parent routes the parent's own state is compared too.
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/worker/auth/password';
import { issueToken } from '../../src/worker/auth/token';
import type { Role } from '../../src/shared/types';
import { concretePath, PARAM_SAMPLES, ROUTE_MATRIX, type RouteRule } from '../support/role-matrix';
import { api } from './helpers';
import { closeDb, getDb, queryRows, type Db } from '../../src/db/client';
import { rows, sql } from './db';
import { contractProblems } from '../support/contract';

const NUM_RUNS = 20;
const FUZZ_USERS: Array<{ username: string; role: Role }> = [
  { username: `fuzzadmin${Date.now().toString(36)}`, role: 'admin' },
  { username: `fuzzdisp${Date.now().toString(36)}`, role: 'dispatcher' },
];

const users = new Map<string, { id: number; username: string; role: Role; areaId: number | null }>();
let startAreaMax = 0;

beforeAll(async () => {
  const [area] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = 'Lucknow'`);
  for (const u of FUZZ_USERS) {
    const areaId = u.role === 'dispatcher' ? Number(area!.id) : null;
    const [row] = await rows<{ id: number }>(
      sql`INSERT INTO users (username, password_hash, role, area_id) VALUES (${u.username}, ${await hashPassword('fuzz-password-123')}, ${u.role}, ${areaId}) RETURNING id`,
    );
    users.set(u.username, { id: Number(row!.id), username: u.username, role: u.role, areaId });
  }
  const [max] = await rows<{ m: number }>(sql`SELECT coalesce(max(id), 0) AS m FROM areas`);
  startAreaMax = Number(max!.m);
});

/** One connection per test (not per query): the fingerprint runs after every request. */
async function fingerprint(db: Db): Promise<string> {
  const ids = [...users.values()].map((u) => u.id);
  const [row] = await queryRows<{ u: string; a: string; l: string }>(db, sql`SELECT
    (SELECT md5(coalesce(string_agg(concat_ws('|', id, username, password_hash, role, area_id, active, totp_enabled, totp_secret, password_changed_at), ',' ORDER BY id), ''))
       FROM users WHERE username IN ('admin', 'supervisor', 'biller', 'dispatcher', 'dispatcher2') OR id = ANY(${`{${ids.join(',')}}`}::int[])) AS u,
    (SELECT md5(coalesce(string_agg(concat_ws('|', id, name), ',' ORDER BY id), '')) FROM areas WHERE id <= ${startAreaMax}) AS a,
    (SELECT count(*)::text || ':' || coalesce(max(id), 0)::text FROM audit_log WHERE actor_id = ANY(${`{${ids.join(',')}}`}::int[]) AND event_id IS NULL) AS l`);
  return `${row!.u}/${row!.a}/${row!.l}`;
}

// ---- hostile inputs ----
const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '__proto__',
  'constructor',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\u202e\u202d',
  '😀🔥',
  'Ｓ Ｂ ０ ０ ０ ０ １',
  'SB00001',
  'sb00001 ',
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer().map(String),
  fc.nat(300).map((n) => 'x'.repeat(n * 20)),
);

const pollutedObject = fc.constantFrom(
  '{"__proto__":{"admin":true},"username":"a"}',
  '{"constructor":{"prototype":{"role":"admin"}}}',
  '{"role":"admin","role":"dispatcher"}',
  '{"name":{"$gt":""}}',
);

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.dictionary(hostileString, fc.oneof(hostileString, fc.integer(), fc.boolean(), fc.constant(null), fc.array(hostileString, { maxLength: 3 })), { maxKeys: 5 }).map((v) =>
    JSON.stringify(v),
  ),
  fc
    .record({
      username: hostileString,
      password: hostileString,
      role: fc.oneof(fc.constantFrom('admin', 'dispatcher', 'root'), hostileString),
      areaId: fc.oneof(fc.integer(), hostileString, fc.constant(null)),
      active: fc.oneof(fc.boolean(), hostileString),
      name: hostileString,
      qr: hostileString,
      scanId: hostileString,
      otp: hostileString,
      currentPassword: hostileString,
      newPassword: hostileString,
    }, { requiredKeys: [] })
    .map((v) => JSON.stringify(v)),
  pollutedObject,
);

const rawBody = fc.oneof(
  fc.constantFrom('{"username":', '{', 'null', '', 'undefined', '\u0000\u0001', '{"a":1}{"b":2}', '[1,2,'),
  fc.nat(25).map((n) => JSON.stringify({ name: 'y'.repeat(n * 1000) })),
  fc.string({ maxLength: 100 }),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  undefined,
);

const requestArb = fc.record({
  params: fc.dictionary(fc.constantFrom('qr', 'childQr', 'id', 'billNo'), hostileString),
  query: fc.array(fc.tuple(fc.oneof(fc.constantFrom('role', 'areaId', 'active', 'limit', 'cursor', 'status', 'q', '__proto__'), fc.string({ maxLength: 10 })), hostileString), {
    maxLength: 4,
  }),
  body: fc.option(fc.oneof(jsonBody, rawBody), { nil: undefined }),
  contentType,
  requestId: fc.option(hostileString, { nil: undefined }),
  userAgent: fc.option(hostileString, { nil: undefined }),
  // Now and then from another site (then 403 for state-changing requests).
  foreignOrigin: fc.nat(9).map((n) => n === 0),
});

type FuzzRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function pathFor(rule: RouteRule, params: Record<string, string>): string {
  return rule.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? PARAM_SAMPLES[name] ?? concretePath(`:${name}`)));
}

async function parentState(qr: string): Promise<string> {
  const res = await api('GET', `/api/parents/${encodeURIComponent(qr)}`, { headers: { authorization: `Bearer ${await freshToken(users.get(FUZZ_USERS[0]!.username)!)}` } });
  return `${res.status}:${JSON.stringify(res.body?.parent ?? null)}`;
}

async function freshToken(u: { id: number; username: string; role: Role; areaId: number | null }): Promise<string> {
  return (await issueToken(env.SESSION_SECRET, u, 3600)).token;
}

async function send(rule: RouteRule, as: string, req: FuzzRequest) {
  const path = pathFor(rule, req.params);
  const query = new URLSearchParams(req.query).toString();
  const headers: Record<string, string> = { authorization: `Bearer ${await freshToken(users.get(as)!)}`, 'cf-connecting-ip': '10.250.0.1' };
  if (req.contentType) headers['content-type'] = req.contentType;
  if (req.requestId !== undefined) headers['x-request-id'] = req.requestId.replace(/[^\x20-\x7e]/g, '?');
  if (req.userAgent !== undefined) headers['user-agent'] = req.userAgent.replace(/[^\x20-\x7e]/g, '?');
  if (req.foreignOrigin) headers.origin = 'https://evil.example';
  const hasBody = rule.method !== 'GET' && req.body !== undefined;
  return api(rule.method, `${path}${query ? `?${query}` : ''}`, { headers, rawBody: hasBody ? req.body : undefined });
}

describe('fuzz: every route, hostile input', () => {
  for (const rule of ROUTE_MATRIX) {
    if (rule.noFuzz) continue;
    for (const fuzzUser of FUZZ_USERS) {
      it(`${rule.method} ${rule.path} as ${fuzzUser.role}`, { timeout: 120_000 }, async () => {
        const db = getDb({ DATABASE_URL: env.DIRECT_DATABASE_URL });
        // The state before each request: the fingerprint after the previous one.
        let before = await fingerprint(db);
        try {
          await fc.assert(
          fc.asyncProperty(requestArb, async (req) => {
            const qr = req.params.qr;
            const watchParent = rule.path.startsWith('/api/parents/:qr') && qr !== undefined && /^\s*sb\d{5}\s*$/i.test(qr);
            const parentBefore = watchParent ? await parentState(qr!) : '';
            const res = await send(rule, fuzzUser.username, req);
            const after = await fingerprint(db);
            const expected = before;
            before = after;
            expect(res.status, `${rule.method} ${rule.path}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
            expect(contractProblems(rule.method, rule.path, res), JSON.stringify(res.body).slice(0, 400)).toEqual([]);
            if (res.status >= 400) {
              expect(res.headers.get('content-type') ?? '').toMatch(/application\/json/);
              expect(typeof res.body?.error?.code, JSON.stringify(res.body)).toBe('string');
              expect(typeof res.body?.error?.message).toBe('string');
              expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|SELECT |INSERT |stack/);
              expect(after, `a ${res.status} changed stored data`).toBe(expected);
              if (watchParent) expect(await parentState(qr!)).toBe(parentBefore);
            }
          }),
          { numRuns: NUM_RUNS },
          );
        } finally {
          await closeDb(db).catch(() => undefined);
        }
      });
    }
  }

});
