import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { queryRows } from '../../../src/db/client';
import { pgErrorOf } from '../../../src/db/errors';
import { pingDb } from '../../../src/db/health';
import { listRegistryPage, registryPageQuery } from '../../../src/db/registry';
import { findUserById, findUserByUsername, insertUser } from '../../../src/db/users';
import { flushBatch } from '../../../src/db/flush';
import { insertBasics, link, parent } from '../../support/fixtures';
import { describeMatrix } from '../../support/matrix';

/** The Postgres constraint a promise was refused by (drizzle wraps the driver's error). */
async function refusedBy(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return pgErrorOf(error)?.constraint ?? `no constraint: ${String(error)}`;
  }
  return undefined;
}

const bag = (qr: string) => sql`INSERT INTO bags (qr, type, status, created_at, updated_at) VALUES (${qr}, 'child', 'unlinked', now(), now())`;

describeMatrix('schema', (ctx) => {
  test('migrations created every table, the trigram extension and the migrations record', async () => {
    const { db } = ctx();
    const tables = await queryRows<{ t: string }>(db, sql`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(tables.map((r) => r.t)).toEqual([
      'areas', 'audit_log', 'bags', 'bill_bags', 'bills', 'counters', 'flush_conflicts', 'import_anomalies', 'import_id_map', 'import_runs', 'import_staging',
      'link_events', 'links', 'return_ticket_parents', 'return_tickets', 'scans', 'users',
    ]);
    expect(await queryRows(db, sql`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`)).toEqual([{ extname: 'pg_trgm' }]);
    const applied = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    // Every migration of the journal, whatever their number (the integrator regenerates them at merge).
    const journal = JSON.parse(readFileSync('migrations/meta/_journal.json', 'utf8')) as { entries: unknown[] };
    expect(Number(applied[0]?.n)).toBe(journal.entries.length);
  });

  test('QRs are stored normalized, so they are unique case-insensitively', async () => {
    const { db } = ctx();
    await db.execute(bag('ABC123'));
    expect(await refusedBy(db.execute(bag('abc123')))).toBe('bags_qr_normalized');
    expect(await refusedBy(db.execute(bag(' ABC124')))).toBe('bags_qr_normalized');
    expect(await refusedBy(db.execute(bag('ABC123')))).toBe('bags_pkey');
  });

  test('a trigram search finds near misses', async () => {
    const { db } = ctx();
    await db.execute(bag('SB00860'));
    await db.execute(bag('QWERTY99'));
    const rows = await queryRows(db, sql`SELECT qr FROM bags WHERE lower(qr) % lower(${'SB00869'}) ORDER BY similarity(lower(qr), lower(${'SB00869'})) DESC`);
    expect(rows).toEqual([{ qr: 'SB00860' }]);
  });

  test('usernames are unique and found case-insensitively', async () => {
    const { db } = ctx();
    await insertBasics(db);
    const u = await insertUser(db, { username: 'Asha', passwordHash: 'h', role: 'biller' });
    expect((await findUserByUsername(db, ' asha '))?.id).toBe(u.id);
    expect((await findUserById(db, u.id))?.username).toBe('Asha');
    expect(await findUserByUsername(db, 'nobody')).toBeNull();
    expect(await refusedBy(insertUser(db, { username: 'ASHA', passwordHash: 'h', role: 'biller' }))).toBe('users_username_lower_uq');
    expect(await refusedBy(insertUser(db, { username: 'x', passwordHash: 'h', role: 'boss' as 'admin' }))).toBe('users_role_check');
  });

  test('the registry pages through every bag by QR with its role and parent', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00001', 1), changes: [link('r1', 'CHILDB', 'SB00001', 1), link('r2', 'CHILDA', 'SB00001', 2)], scans: [] });
    await flushBatch(db, { parent: parent('SB00002', 1), changes: [], scans: [] });
    const first = await listRegistryPage(db, null, 2);
    expect(first).toEqual([
      { qr: 'CHILDA', role: 'child', parentQr: 'SB00001' },
      { qr: 'CHILDB', role: 'child', parentQr: 'SB00001' },
    ]);
    const second = await listRegistryPage(db, first[1]!.qr, 2);
    expect(second).toEqual([
      { qr: 'SB00001', role: 'parent', parentQr: null },
      { qr: 'SB00002', role: 'parent', parentQr: null },
    ]);
    expect(await listRegistryPage(db, 'SB00002', 2)).toEqual([]);
  });

  test('a registry page deep in the table reads links from its cursor on, not from the first link', async () => {
    // At 1.8 M bags Postgres merge-joins bags and links; without the cursor on links too, every page re-read
    // the links before it (1.3 s a page at 1.2 M deep). Force that plan here (tiny tables get seq scans).
    const { db, driver } = ctx();
    if (driver !== 'postgres-js') return; // needs SET LOCAL in a transaction, which neon-http has not
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00001', 1), changes: [link('r1', 'CHILDB', 'SB00001', 1), link('r2', 'CHILDA', 'SB00001', 2)], scans: [] });
    const plan = await db.transaction(async (tx) => {
      for (const off of ['enable_hashjoin', 'enable_nestloop', 'enable_seqscan', 'enable_bitmapscan']) await tx.execute(sql.raw(`SET LOCAL ${off} = off`));
      return queryRows<{ 'QUERY PLAN': unknown }>(tx as never, sql`EXPLAIN (FORMAT JSON) ${registryPageQuery(db, 'CHILDA', 2)}`);
    });
    const nodes: Array<Record<string, unknown>> = [];
    const walk = (node: Record<string, unknown>) => {
      nodes.push(node);
      for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
    };
    const raw = plan[0]!['QUERY PLAN'];
    walk(((typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: Record<string, unknown> }>)[0]!.Plan);
    const linksScan = nodes.find((n) => n['Relation Name'] === 'links');
    expect(linksScan?.['Node Type']).toMatch(/Index/);
    expect(String(linksScan?.['Index Cond'])).toMatch(/child_qr > /);
    expect(await listRegistryPage(db, 'CHILDA', 2)).toEqual([
      { qr: 'CHILDB', role: 'child', parentQr: 'SB00001' },
      { qr: 'SB00001', role: 'parent', parentQr: null },
    ]);
  });

  test('pingDb measures a round trip', async () => {
    const { db } = ctx();
    const ms = await pingDb(db);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(5_000);
  });
});
