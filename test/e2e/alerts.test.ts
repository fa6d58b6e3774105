// Issue 14 "Alerts", end to end with a really stopped Postgres: the product runs on its own embedded PGlite
// (not the suite's shared stack, which must keep its database), a local HTTP receiver stands in for
// Alertmanager. Stopping PGlite must bring one signed `firing` TraceTrackPostgresUnreachable; starting it again
// on the same data directory and port must bring one `resolved` for the same incident, and both audit rows.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnStack, type OwnStack } from './own-stack';

const SECRET = 'e2e-alert-webhook-secret-0123456789';
const METRICS_TOKEN = 'e2e-metrics-token-0123456789';
const RULE = 'TraceTrackPostgresUnreachable';

interface Received {
  at: number;
  body: string;
  signature: string | undefined;
  json: { version: string; status: string; alerts: Array<{ status: string; labels: Record<string, string>; fingerprint: string; startsAt: string; endsAt: string }> };
}

let stack: OwnStack | null = null;
let receiver: Server | null = null;
const received: Received[] = [];

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(received.map((r) => r.json.status))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const forRule = (status: string) => received.find((r) => r.json.status === status && r.json.alerts[0]?.labels.alertname === RULE);

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ at: Date.now(), body, signature: req.headers['x-tracetrack-signature'] as string | undefined, json: JSON.parse(body) });
      res.writeHead(200).end('ok');
    });
  });
  const receiverPort = await listen(receiver);
  stack = await startOwnStack('alerts', {
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${receiverPort}/alertmanager`,
    ALERT_WEBHOOK_SECRET: SECRET,
    METRICS_TOKEN,
    ALERT_EVAL_SECONDS: '2',
    ALERT_PG_DOWN_FOR_SECONDS: '5',
    ALERT_RESOLVE_SECONDS: '5',
    // Flushes fail while Postgres is away; that is the Postgres alert's incident, not a second one's.
    ALERT_FLUSH_FOR_SECONDS: '600',
  });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
});

describe('alerts with a really stopped Postgres', () => {
  it('fires once when Postgres stops, resolves once when it is back, signed, and audits both', async () => {
    const url = stack!.url;
    // The metrics object starts its alarm when first reached; a scrape reaches it and shows Postgres up.
    const scrape = async () => {
      const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      return res.ok ? res.text() : '';
    };
    await waitFor('tracetrack_postgres_up 1', 30_000, async () => ((await scrape()).includes('tracetrack_postgres_up 1') ? true : undefined));
    expect(received.filter((r) => r.json.alerts[0]?.labels.alertname === RULE)).toEqual([]);

    const stoppedAt = Date.now();
    await stack!.stopPostgres();
    // The bound is 3 minutes; with a 2 s evaluation and a 5 s `for` it takes seconds.
    const firing = await waitFor('a firing alert', 180_000, () => forRule('firing'));
    expect(firing.at - stoppedAt).toBeLessThan(180_000);

    await stack!.startPostgres();
    const resolved = await waitFor('a resolved alert', 180_000, () => forRule('resolved'));

    for (const r of [firing, resolved]) {
      expect(r.json.version).toBe('4');
      expect(r.json.alerts).toHaveLength(1);
      expect(r.json.alerts[0]!.labels).toMatchObject({ alertname: RULE, severity: 'critical', service: 'tracetrack' });
      // X-TraceTrack-Signature: sha256=<hex HMAC-SHA256 of the exact body>, checked the way a receiver would.
      const expected = `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`;
      expect(r.signature).toBeDefined();
      expect(timingSafeEqual(Buffer.from(r.signature!), Buffer.from(expected))).toBe(true);
    }
    expect(resolved.json.alerts[0]!.fingerprint).toBe(firing.json.alerts[0]!.fingerprint);
    expect(resolved.json.alerts[0]!.startsAt).toBe(firing.json.alerts[0]!.startsAt);
    expect(resolved.json.alerts[0]!.endsAt).not.toBe('0001-01-01T00:00:00Z');

    // Hysteresis: a few more evaluations while Postgres is up add nothing for this rule.
    await new Promise((r) => setTimeout(r, 5000));
    expect(received.filter((r) => r.json.alerts[0]?.labels.alertname === RULE).map((r) => r.json.status)).toEqual(['firing', 'resolved']);

    // Both transitions are audited once Postgres answers (the outbox retried the firing one meanwhile).
    const sql = postgres(stack!.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await waitFor('the alert audit rows', 30_000, async () => {
        const r = await sql<{ action: string }[]>`SELECT action FROM audit_log WHERE entity_type = 'alert' AND entity_id = ${RULE} ORDER BY at, id`;
        return r.length >= 2 ? r : undefined;
      });
      expect(rows.map((r) => r.action)).toEqual(['alert.firing', 'alert.resolved']);
    } finally {
      await sql.end();
    }
  }, 420_000);
});
