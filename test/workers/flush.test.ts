import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { count, rows, setDatabase, sql, waitFor } from './db';
import { api, tokenFor, uniqueChild, uniqueParent } from './helpers';

async function openParent(as = 'dispatcher') {
  const qr = uniqueParent();
  expect((await api('POST', `/api/parents/${qr}/open`, { as })).status).toBe(200);
  return qr;
}

const scan = (parent: string, qr: string, scanId?: string) =>
  api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: scanId ? { qr, scanId } : { qr } });

const linksOf = (parent: string) => count(sql`SELECT count(*) AS n FROM links WHERE parent_qr = ${parent}`);
const scansOf = (parent: string) => count(sql`SELECT count(*) AS n FROM scans WHERE parent_qr = ${parent}`);

afterEach(async () => {
  await setDatabase(true);
});

describe('flush to Postgres', () => {
  it('writes links, scans and bags once, and follows undo', async () => {
    const parent = await openParent();
    const children = Array.from({ length: 5 }, () => uniqueChild());
    for (const c of children) expect((await scan(parent, c)).body.result).toBe('linked');
    await scan(parent, children[0]!); // duplicate
    await scan(parent, 'SB99999'); // rejected
    await waitFor(() => scansOf(parent), (n) => n === 7);
    expect(await linksOf(parent)).toBe(5);
    const results = await rows<{ result: string; n: string }>(
      sql`SELECT result, count(*) AS n FROM scans WHERE parent_qr = ${parent} GROUP BY result ORDER BY result`,
    );
    expect(results.map((r) => [r.result, Number(r.n)])).toEqual([['duplicate', 1], ['linked', 5], ['rejected', 1]]);
    const [bag] = await rows<{ type: string; status: string; child_count: number }>(
      sql`SELECT type, status, child_count FROM bags WHERE qr = ${parent}`,
    );
    expect(bag).toMatchObject({ type: 'parent', status: 'open', child_count: 5 });
    expect(await count(sql`SELECT count(*) AS n FROM bags WHERE type = 'child' AND qr IN ${children}`)).toBe(5);

    await api('POST', `/api/parents/${parent}/undo`, { as: 'dispatcher' });
    await waitFor(() => linksOf(parent), (n) => n === 4);
    expect(await count(sql`SELECT count(*) AS n FROM link_events WHERE parent_qr = ${parent} AND kind = 'unlink'`)).toBe(1);
  });

  it('keeps acknowledging scans while Postgres is down and drains the backlog after, nothing lost or doubled', async () => {
    const parent = await openParent();
    await tokenFor('admin');
    await waitFor(() => count(sql`SELECT count(*) AS n FROM bags WHERE qr = ${parent}`), (n) => n === 1);
    await setDatabase(false);
    const login = await api('POST', '/api/auth/login', { body: { username: 'biller', password: 'tracetrack-dev' } });
    expect(login.status).toBe(503);
    expect(login.body.error.code).toBe('UNAVAILABLE');
    const children = Array.from({ length: 10 }, () => uniqueChild('D'));
    for (const [i, c] of children.entries()) {
      const res = await scan(parent, c, `down-${parent}-${i}`);
      expect(res.status).toBe(200);
      expect(res.body.result).toBe('linked');
    }
    const degraded = await waitFor(
      () => api('GET', '/health/detailed', { as: 'admin' }),
      (r) => r.body.flushBacklog >= 10,
    );
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.db.ok).toBe(false);
    expect(await linksOf(parent)).toBe(0);

    await setDatabase(true);
    // Replays of the same scanIds while draining must not double anything.
    for (const [i, c] of children.entries()) expect((await scan(parent, c, `down-${parent}-${i}`)).body.result).toBe('linked');
    const stub = env.PARENTS.get(env.PARENTS.idFromName(parent));
    await waitFor(
      async () => {
        await runDurableObjectAlarm(stub);
        return linksOf(parent);
      },
      (n) => n === 10,
      20_000,
    );
    expect(await scansOf(parent)).toBe(10);
    expect(await count(sql`SELECT count(*) AS n FROM link_events WHERE parent_qr = ${parent}`)).toBe(10);
    const healthy = await waitFor(() => api('GET', '/health/detailed', { as: 'admin' }), (r) => r.body.flushBacklog === 0);
    expect(healthy.body.status).toBe('ok');
  });

  it('records a conflict that only Postgres knows about, and never drops it silently', async () => {
    // A link that exists in Postgres but not in the registry (e.g. imported without a registry rebuild).
    const legacyParent = uniqueParent();
    const child = uniqueChild('X');
    await rows(sql`INSERT INTO bags (qr, type, status, child_count, created_at, updated_at) VALUES
      (${legacyParent}, 'parent', 'open', 1, now(), now()), (${child}, 'child', 'linked', 0, now(), now())`);
    await rows(sql`INSERT INTO links (child_qr, parent_qr, linked_at, event_id) VALUES (${child}, ${legacyParent}, now(), ${'legacy-' + child})`);

    const parent = await openParent();
    expect((await scan(parent, child)).body.result).toBe('linked');
    const conflicts = await waitFor(
      () => rows<{ parent_qr: string; existing_parent_qr: string }>(sql`SELECT parent_qr, existing_parent_qr FROM flush_conflicts WHERE child_qr = ${child}`),
      (r) => r.length === 1,
    );
    expect(conflicts[0]).toMatchObject({ parent_qr: parent, existing_parent_qr: legacyParent });
    const health = await waitFor(() => api('GET', '/health/detailed', { as: 'admin' }), (r) => r.body.conflicts >= 1);
    expect(health.body.conflicts).toBeGreaterThanOrEqual(1);
    // Postgres keeps its link; the scan is still recorded.
    expect((await rows<{ parent_qr: string }>(sql`SELECT parent_qr FROM links WHERE child_qr = ${child}`))[0]!.parent_qr).toBe(legacyParent);
  });
});
