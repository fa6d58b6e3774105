// Issue 14, points 1 and 2 inside workerd: request ids on every response and into the audit rows a request causes,
// one JSON log line per request with the route pattern, no secret in any log line, and GET /metrics in the
// Prometheus text format with the figures of the requests just made.
import { env } from 'cloudflare:test';
import { Secret, TOTP } from 'otpauth';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashPassword } from '../../src/worker/auth/password';
import { rows, sql, waitFor } from './db';
import { api, BASE, uniqueChild, uniqueParent } from './helpers';
import { SELF } from 'cloudflare:test';

const captured: string[] = [];
const spies: Array<{ mockRestore(): void }> = [];

beforeAll(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level].bind(console);
    spies.push(
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '));
        void original;
      }),
    );
  }
});
afterAll(() => spies.forEach((s) => s.mockRestore()));

const jsonLines = () =>
  captured.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

describe('request ids', () => {
  it('every response carries X-Request-Id: success, 404, 401, and a caller-given id is kept', async () => {
    for (const path of ['/health', '/api/nothing-here', '/api/bags/X', '/metrics']) {
      const res = await SELF.fetch(`${BASE}${path}`);
      await res.text();
      expect(res.headers.get('X-Request-Id'), path).toMatch(/^[\w-]{8,}$/);
    }
    const mine = await SELF.fetch(`${BASE}/health`, { headers: { 'X-Request-Id': 'ops-test-0001' } });
    expect(mine.headers.get('X-Request-Id')).toBe('ops-test-0001');
    const bad = await SELF.fetch(`${BASE}/health`, { headers: { 'X-Request-Id': 'has spaces and <markup>' } });
    expect(bad.headers.get('X-Request-Id')).not.toContain(' ');
  });

  it('one JSON line per request with the route pattern, status, duration, user and area', async () => {
    const qr = uniqueParent();
    const res = await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher', headers: { 'X-Request-Id': 'ops-line-0001' } });
    expect(res.status).toBe(200);
    const line = await waitFor(
      async () => jsonLines().find((l) => l.msg === 'request' && l.requestId === 'ops-line-0001'),
      (l) => l !== undefined,
    );
    expect(line).toMatchObject({ level: 'info', method: 'POST', route: '/api/parents/:qr/open', status: 200, role: 'dispatcher' });
    expect(typeof line!.time).toBe('string');
    expect(typeof line!.durationMs).toBe('number');
    expect(typeof line!.userId).toBe('number');
    expect(typeof line!.areaId).toBe('number');
  });

  it('the request id of an HTTP scan reaches its scan.link audit row in Postgres', async () => {
    const qr = uniqueParent();
    const child = uniqueChild('RQ');
    expect((await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' })).status).toBe(200);
    const scan = await api('POST', `/api/parents/${qr}/children`, { as: 'dispatcher', body: { qr: child, scanId: crypto.randomUUID() }, headers: { 'X-Request-Id': 'ops-scan-0001' } });
    expect(scan.status).toBe(200);
    expect(scan.headers.get('X-Request-Id')).toBe('ops-scan-0001');
    const [row] = await waitFor(
      () => rows<{ request_id: string | null; action: string }>(sql`SELECT request_id, action FROM audit_log WHERE entity_id = ${child} AND action = 'scan.link'`),
      (r) => r.length === 1,
      10_000,
    );
    expect(row).toEqual({ request_id: 'ops-scan-0001', action: 'scan.link' });
  });
});

describe('no secret in a log line', () => {
  it('passwords, tokens, cookies, TOTP secrets and codes never appear in the output of a run', async () => {
    const password = `Pw-${crypto.randomUUID()}`;
    const wrong = `Wrong-${crypto.randomUUID()}`;
    const newPassword = `New-${crypto.randomUUID()}`;
    const username = `logcheck${Date.now().toString(36)}`;
    await rows(sql`INSERT INTO users (username, password_hash, role) VALUES (${username}, ${await hashPassword(password)}, 'admin')`);
    const ip = { 'cf-connecting-ip': '10.214.7.9' };
    const before = captured.length;

    expect((await api('POST', '/api/auth/login', { body: { username, password: wrong }, headers: ip })).status).toBe(401);
    const login = await api('POST', '/api/auth/login', { body: { username, password }, headers: ip });
    expect(login.status).toBe(200);
    const cookie = /tt_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
    expect(cookie.length).toBeGreaterThan(20);
    const signed = await api('POST', '/api/auth/token', { body: { username, password }, headers: ip });
    const token = signed.body.token as string;
    const auth = { authorization: `Bearer ${token}`, ...ip };
    expect((await api('GET', '/api/auth/me', { headers: auth })).status).toBe(200);
    expect((await api('GET', '/api/auth/me', { headers: { cookie: `__Host-tt_session=${cookie}` } })).status).toBe(200);
    const setup = await api('POST', '/api/auth/totp/setup', { headers: auth, body: { currentPassword: password } });
    expect(setup.status).toBe(200);
    const totpSecret = setup.body.secret as string;
    const code = new TOTP({ secret: Secret.fromBase32(totpSecret) }).generate();
    expect((await api('POST', '/api/auth/totp/verify', { headers: auth, body: { otp: code, currentPassword: password } })).status).toBe(200);
    const withOtp = await api('POST', '/api/auth/token', { body: { username, password, otp: code }, headers: ip });
    const otpToken = withOtp.body.token as string | undefined;
    await api('POST', '/api/auth/password', { headers: auth, body: { currentPassword: password, newPassword } });
    await api('POST', '/api/auth/logout', { headers: auth });
    // A scan, so the objects log too (its flush batch line) and the capture is shown to include them.
    const qr = uniqueParent();
    await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' });
    await api('POST', `/api/parents/${qr}/children`, { as: 'dispatcher', body: { qr: uniqueChild('LG'), scanId: crypto.randomUUID() } });
    // Let background work (metrics flush, audit writes, object events) log too.
    await new Promise((r) => setTimeout(r, 1500));

    const output = captured.slice(before).join('\n');
    expect(output).toContain('"route":"/api/auth/login"'); // the capture works, for the Worker …
    expect(output).toContain('"object":"FlushQueue"'); // … and for the objects
    const secrets = [password, wrong, newPassword, cookie, token, totpSecret, code, env.SESSION_SECRET, env.METRICS_TOKEN, otpToken].filter(
      (s): s is string => typeof s === 'string' && s.length >= 6,
    );
    for (const secret of secrets) expect(output.includes(secret), `a secret of ${secret.length} characters in the log`).toBe(false);
  });
});

describe('GET /metrics', () => {
  const scrape = (authorization?: string) => SELF.fetch(`${BASE}/metrics`, { headers: authorization ? { authorization } : {} });

  it('needs the METRICS_TOKEN bearer or an admin session', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('Bearer not-the-token-at-all-00000')).status).toBe(401);
    expect((await api('GET', '/metrics', { as: 'dispatcher' })).status).toBe(403);
    expect((await api('GET', '/metrics', { as: 'admin' })).status).toBe(200);
    const ok = await scrape(`Bearer ${env.METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('answers the Prometheus text format with the scans, flush and HTTP families', async () => {
    const qr = uniqueParent();
    await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' });
    const child = uniqueChild('MX');
    await api('POST', `/api/parents/${qr}/children`, { as: 'dispatcher', body: { qr: child, scanId: crypto.randomUUID() } });
    await api('POST', `/api/parents/${qr}/children`, { as: 'dispatcher', body: { qr: child, scanId: crypto.randomUUID() } });
    const [area] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = 'Lucknow'`);

    const text = await waitFor(
      async () => (await scrape(`Bearer ${env.METRICS_TOKEN}`)).text(),
      (t) => new RegExp(`tracetrack_scans_total\\{area="${area!.id}",result="duplicate"\\} [1-9]`).test(t),
      10_000,
    );
    // Every line is a comment, a blank line or `name{labels} value` per the exposition format.
    const sampleLine = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/;
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      expect(line).toMatch(sampleLine);
    }
    const families = parsePrometheusTextFormat(text);
    const byName = new Map(families.map((f) => [f.name, f]));
    for (const [name, type] of [
      ['tracetrack_scans_total', 'COUNTER'],
      ['tracetrack_flush_backlog', 'GAUGE'],
      ['tracetrack_flush_lag_seconds', 'GAUGE'],
      ['tracetrack_http_requests_total', 'COUNTER'],
      ['tracetrack_scan_ack_seconds', 'HISTOGRAM'],
      ['tracetrack_postgres_up', 'GAUGE'],
    ] as const) {
      expect(byName.get(name)?.type, name).toBe(type);
    }
    const scans = byName.get('tracetrack_scans_total')!.metrics as Array<{ labels: Record<string, string>; value: string }>;
    expect(scans.find((m) => m.labels.result === 'linked' && m.labels.area === String(area!.id))).toBeDefined();
    const http = byName.get('tracetrack_http_requests_total')!.metrics as Array<{ labels: Record<string, string> }>;
    expect(http.some((m) => m.labels.route === '/api/parents/:qr/children' && m.labels.status === '200')).toBe(true);
    // Route labels are patterns, never raw paths with QR codes in them.
    expect(http.some((m) => m.labels.route?.includes(qr))).toBe(false);
    const backlog = byName.get('tracetrack_flush_backlog')!.metrics as Array<{ labels: Record<string, string> }>;
    expect(backlog.map((m) => m.labels.shard)).toContain('0');
    const ack = byName.get('tracetrack_scan_ack_seconds')!.metrics as Array<{ buckets: Record<string, string>; count: string }>;
    const buckets = Object.entries(ack[0]!.buckets).map(([le, n]) => [Number(le), Number(n)] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]![1]).toBeGreaterThanOrEqual(buckets[i - 1]![1]);
  });

  it('/health/detailed adds flush lag, oldest unflushed age, backlog per shard, Postgres latency, revision and start time', async () => {
    const res = await api('GET', '/health/detailed', { as: 'admin' });
    expect(res.status).toBe(200);
    expect(res.body.build).toEqual({ revision: expect.any(String), startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(typeof res.body.postgresLatencyMs).toBe('number');
    expect(typeof res.body.oldestUnflushedSeconds).toBe('number');
    // FLUSH_SHARDS 8 plus the 4 shards of FLUSH_SHARDS_PREVIOUS (vitest.workers.config.ts), still watched.
    expect(res.body.flushShards).toHaveLength(12);
    expect(res.body.flushShards[0]).toMatchObject({ shard: 0, shardCount: 8, draining: false, backlog: expect.any(Number) });
    expect(res.body.flushShards[8]).toMatchObject({ shard: 0, shardCount: 4, draining: true, backlog: expect.any(Number) });
    expect('flushLagMs' in res.body).toBe(true);
  });

  it('/api/system answers admins the last 60 minutes and the alert rules', async () => {
    expect((await api('GET', '/api/system', { as: 'supervisor' })).status).toBe(403);
    const res = await api('GET', '/api/system', { as: 'admin' });
    expect(res.status).toBe(200);
    expect(res.body.minutes).toHaveLength(60);
    expect(res.body.alerts.map((a: { name: string }) => a.name)).toContain('TraceTrackPostgresUnreachable');
    expect(res.body.gauges).toMatchObject({ postgresUp: true });
    // It takes no parameters: one sent is named in a 400, as on every other route.
    const wrong = await api('GET', '/api/system?minutes=5', { as: 'admin' });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body.error)).toContain('minutes');
  });
});
