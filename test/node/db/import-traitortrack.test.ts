// The TraitorTrack import against real Postgres (embedded PGlite, and Debian's server with TEST_PG_URL):
// a generated TraitorTrack database with every anomaly (test/support/traitortrack-fixture.ts) plus some
// TraceTrack data the import must respect; a dry run writes nothing; the import follows the rules; a second
// run adds nothing; a run killed with SIGKILL leaves nothing and the next one completes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDatabase } from '../../../scripts/db/seed';
import { generateTraitorTrack } from '../../../scripts/import/traitortrack/generate';
import { silentProgress } from '../../../scripts/import/traitortrack/progress';
import { importTraitorTrack, type ImportOptions } from '../../../scripts/import/traitortrack/run';
import { queryRows, type Db } from '../../../src/db/client';
import { counterMismatches } from '../../../src/db/counters';
import { BILL_A_DESCRIPTION, buildTraitorTrackFixture, EXPECTED_BILLS, EXPECTED_PARENTS, EXPECTED_RETURNS, FIXTURE_ANOMALIES, TT_USERS, ADMIN_TOTP_SECRET_BASE32 } from '../../support/traitortrack-fixture';
import { closeDb, dbFor, startTarget, targetNames, type PgTarget } from '../../support/postgres';

const TZ = 'Asia/Kolkata';
/** Kinds that need TraceTrack data present before the import (added in beforeAll). */
const TRACETRACK_CONFLICTS = ['bag_exists', 'bag_type_conflict', 'link_conflict_tracetrack', 'bill_bag_conflict_tracetrack', 'bill_no_taken', 'return_code_taken'];

/** Every row of the tables an import writes, in a stable order (timestamps as text), to compare states. */
async function fingerprint(db: Db): Promise<Record<string, unknown[]>> {
  const q = async (name: string, text: string) => [name, await queryRows(db, sql.raw(text))] as const;
  return Object.fromEntries(
    await Promise.all([
      q('bags', 'SELECT qr, type, area_id, status, child_count, created_by, created_at::text, updated_at::text, completed_at::text, version FROM bags ORDER BY qr'),
      q('links', 'SELECT child_qr, parent_qr, linked_at::text, linked_by, event_id FROM links ORDER BY child_qr'),
      q('link_events', 'SELECT event_id, kind, child_qr, parent_qr, at::text, user_id FROM link_events ORDER BY event_id'),
      q('scans', 'SELECT scan_id, parent_qr, child_qr, user_id, area_id, result, created_at::text FROM scans ORDER BY scan_id'),
      q('bills', 'SELECT id, bill_no, destination, capacity, status, finalized, created_by, created_at::text, finalized_at::text FROM bills ORDER BY id'),
      q('bill_bags', 'SELECT bag_qr, bill_id, added_at::text, added_by FROM bill_bags ORDER BY bag_qr'),
      q('users', 'SELECT id, username, password_hash, role, area_id, active, totp_secret, totp_enabled FROM users ORDER BY id'),
      q('counters', 'SELECT name, scope, period, value FROM counters ORDER BY 1, 2, 3'),
      q('staging', 'SELECT source_table, source_id, row, resolved FROM import_staging ORDER BY 1, 2'),
      q('id_map', 'SELECT entity, source_id, target_key FROM import_id_map ORDER BY 1, 2'),
      q('return_tickets', 'SELECT id, code, area_id, notes, status, parent_count, child_count, created_by, created_at::text, closed_at::text, closed_by FROM return_tickets ORDER BY id'),
      q('return_parents', 'SELECT ticket_id, bag_qr, bill_no, bill_finalized, child_count, returned_at::text, returned_by, event_id FROM return_ticket_parents ORDER BY event_id'),
      q('audit', "SELECT action, entity_type, entity_id, before, after, ip, request_id, event_id FROM audit_log WHERE action <> 'import.traitortrack' ORDER BY event_id, id"),
    ]),
  );
}

describe.each(targetNames())('import:traitortrack [%s]', (targetName) => {
  let source: PgTarget;
  let target: PgTarget;
  let db: Db;
  let dir: string;
  const options = (overrides: Partial<ImportOptions> = {}): ImportOptions => ({
    from: source.url,
    to: target.url,
    dryRun: false,
    parentCapacity: 30,
    timeZone: TZ,
    progress: silentProgress(),
    actor: 'test',
    ...overrides,
  });
  const one = async <T extends Record<string, unknown>>(text: string) => (await queryRows<T>(db, sql.raw(text)))[0]!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tt-import-'));
    source = await startTarget(targetName, { migrate: false });
    target = await startTarget(targetName);
    await buildTraitorTrackFixture(source.url);
    db = dbFor(target, 'postgres-js');
    await seedDatabase(db, { environment: 'development', databaseUrl: target.url });
    // TraitorTrack rows that meet TraceTrack's own data: a child TraceTrack holds elsewhere, a QR it holds with
    // the other type, a parent it has on its own bill, and a bill number it uses.
    const src = postgres(source.url, { max: 1, onnotice: () => {} });
    try {
      await src.unsafe(`INSERT INTO bag (id, qr_id, type, user_id, dispatch_area, status, created_at, updated_at) VALUES
        (250, 'TTFXCX50', 'child', 2, 'lucknow', 'pending', '2022-03-01 06:00', '2022-03-01 06:00'),
        (251, 'SB97051', 'child', 2, 'lucknow', 'pending', '2022-03-01 06:00', '2022-03-01 06:00'),
        (252, 'SB97050', 'parent', 2, 'lucknow', 'pending', '2022-03-01 06:00', '2022-03-01 06:00')`);
      await src.unsafe(`INSERT INTO link (id, parent_bag_id, child_bag_id, created_at) VALUES (50, 101, 250, '2022-03-01 06:01')`);
      await src.unsafe(`INSERT INTO bill_bag (id, bill_id, bag_id, created_at) VALUES (420, 302, 252, '2022-03-01 06:02')`);
    } finally {
      await src.end();
    }
    await db.execute(sql`INSERT INTO bags (qr, type, area_id, status, child_count, created_at, updated_at) VALUES
      ('SB97050', 'parent', 1, 'open', 1, now(), now()), ('TTFXCX50', 'child', 1, 'linked', 0, now(), now()), ('SB97051', 'parent', 1, 'open', 0, now(), now())`);
    await db.execute(sql`INSERT INTO links (child_qr, parent_qr, linked_at, event_id) VALUES ('TTFXCX50', 'SB97050', now(), 'own-1')`);
    await db.execute(sql`INSERT INTO bills (bill_no, destination, vehicle_no, capacity) VALUES ('BILL-C', 'Delhi', 'UP32 T 1', 5), ('TT-OWN', 'Patna', 'BR01 1', 5)`);
    await db.execute(sql`INSERT INTO bill_bags (bag_qr, bill_id) SELECT 'SB97050', id FROM bills WHERE bill_no = 'TT-OWN'`);
    // A return ticket of TraceTrack's own whose code a TraitorTrack ticket also has.
    await db.execute(sql`INSERT INTO return_tickets (code, area_id, status, created_at) VALUES ('RTN-20220303-0001', 1, 'open', now())`);
  }, 180_000);

  afterAll(async () => {
    if (db) await closeDb(db);
    await target?.stop();
    await source?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a dry run writes nothing and reports what the import will do, row by row', async () => {
    const before = await fingerprint(db);
    const file = join(dir, 'dry.json');
    const summary = await importTraitorTrack(options({ dryRun: true, reportFile: file }));
    expect(await fingerprint(db)).toEqual(before);
    expect(await one<{ n: number }>('SELECT count(*)::int AS n FROM import_runs')).toEqual({ n: 0 });
    expect(summary.dryRun).toBe(true);
    expect(summary.counts.bag).toMatchObject({ source: 62, kept: 59, added: 56, alreadyThere: 3, notImported: 3 });
    expect(summary.counts.user).toMatchObject({ source: 10, added: 10 });
    expect(summary.counts.return_ticket).toMatchObject({ source: 4, kept: 4, added: 4 });
    expect(summary.counts.return_ticket_bag).toMatchObject({ source: 5, kept: 1, added: 1, notImported: 4 });
    const report = JSON.parse(readFileSync(file, 'utf8')) as { rows: Array<{ kind: string }>; counts: unknown };
    expect(report.counts).toEqual(summary.counts);
    expect(new Set(report.rows.map((r) => r.kind))).toEqual(new Set([...FIXTURE_ANOMALIES, ...TRACETRACK_CONFLICTS]));
    expect(report.rows.length).toBe(Object.values(summary.anomalies).reduce((a, b) => a + b, 0));
    expect(summary.skipped).toEqual([{ table: 'promotion_request', rows: 2, reason: expect.stringContaining('not a TraitorTrack table') }]);
  });

  test('imports bags, links, bills, people and history by the documented rules', async () => {
    const file = join(dir, 'run.csv');
    const summary = await importTraitorTrack(options({ reportFile: file }));
    expect(summary.counts.bag).toMatchObject({ source: 62, kept: 59, added: 56, alreadyThere: 3 });
    expect(summary.counts.return_ticket).toMatchObject({ added: 4 });

    const areaNames = new Map((await queryRows<{ id: number; name: string }>(db, sql`SELECT id, name FROM areas`)).map((a) => [a.id, a.name]));
    for (const [qr, want] of Object.entries(EXPECTED_PARENTS)) {
      const bag = await one<{ status: string; child_count: number; area_id: number; bill_no: string | null }>(
        `SELECT b.status, b.child_count, b.area_id, bl.bill_no FROM bags b LEFT JOIN bill_bags bb ON bb.bag_qr = b.qr LEFT JOIN bills bl ON bl.id = bb.bill_id WHERE b.qr = '${qr}' AND b.type = 'parent'`,
      );
      const children = (await queryRows<{ child_qr: string }>(db, sql`SELECT child_qr FROM links WHERE parent_qr = ${qr} ORDER BY child_qr`)).map((r) => r.child_qr);
      expect({ qr, children, status: bag.status, count: bag.child_count, area: areaNames.get(bag.area_id), bill: bag.bill_no }).toEqual({
        qr,
        children: [...want.children].sort(),
        status: want.status,
        count: want.children.length,
        area: want.area,
        bill: want.bill,
      });
    }
    // Children outside any parent, kept as TraitorTrack had them or as the rules left them.
    const loose = await queryRows<{ qr: string; status: string; created_by: number | null }>(
      db,
      sql`SELECT qr, status, created_by FROM bags WHERE qr IN ('TTFXC009', 'TTFXC015', 'SB97016') ORDER BY qr`,
    );
    expect(loose.map((b) => [b.qr, b.status, b.created_by === null])).toEqual([['SB97016', 'unlinked', false], ['TTFXC009', 'unlinked', false], ['TTFXC015', 'unlinked', true]]);
    // TraceTrack's own data wins.
    expect(await one(`SELECT parent_qr FROM links WHERE child_qr = 'TTFXCX50'`)).toEqual({ parent_qr: 'SB97050' });
    expect(await one(`SELECT type FROM bags WHERE qr = 'SB97051'`)).toEqual({ type: 'parent' });
    expect(await one(`SELECT bl.bill_no FROM bill_bags bb JOIN bills bl ON bl.id = bb.bill_id WHERE bb.bag_qr = 'SB97050'`)).toEqual({ bill_no: 'TT-OWN' });

    const bills = (
      await queryRows<{ bill_no: string; capacity: number; finalized: boolean; destination: string; parents: string | null }>(
        db,
        sql`SELECT b.bill_no, b.capacity, b.finalized, b.destination, (SELECT string_agg(bb.bag_qr, ',' ORDER BY bb.bag_qr) FROM bill_bags bb WHERE bb.bill_id = b.id) AS parents
            FROM bills b WHERE b.bill_no NOT IN ('BILL-C', 'TT-OWN') ORDER BY b.bill_no`,
      )
    ).map((b) => ({ ...b, parents: b.parents === null ? null : b.parents.split(',') }));
    const expected = Object.entries(EXPECTED_BILLS).map(([no, b]) => ({ bill_no: no === 'BILL-C' ? 'BILL-C-TT' : no, capacity: b.capacity, finalized: b.finalized, destination: '—', parents: b.parents.length ? [...b.parents] : null }));
    expect(bills).toEqual(expected.sort((a, b) => a.bill_no.localeCompare(b.bill_no)));
    expect(await one(`SELECT description FROM bills WHERE bill_no = 'BILL-A'`)).toEqual({ description: BILL_A_DESCRIPTION });

    // People: hashes carried verbatim (or made unusable), roles and deactivations as the rules say, TOTP normalized.
    const src = postgres(source.url, { max: 1, onnotice: () => {} });
    const sourceHashes = new Map((await src<Array<{ id: number; password_hash: string }>>`SELECT id, password_hash FROM "user"`).map((u) => [u.id, u.password_hash]));
    await src.end();
    for (const u of Object.values(TT_USERS)) {
      const row = await one<{ role: string; active: boolean; password_hash: string; totp_enabled: boolean; totp_secret: string | null }>(
        `SELECT role, active, password_hash, totp_enabled, totp_secret FROM users WHERE username = '${u.importedAs}'`,
      );
      expect({ user: u.importedAs, role: row.role, active: row.active }).toEqual({ user: u.importedAs, role: u.role, active: u.active });
      expect(row.password_hash).toBe(u.id === TT_USERS.bad.id ? '!imported-without-usable-password' : sourceHashes.get(u.id));
      expect(row.totp_enabled).toBe(u.id === TT_USERS.admin.id);
      if (u.id === TT_USERS.admin.id) expect(row.totp_secret).toBe(ADMIN_TOTP_SECRET_BASE32);
    }
    expect(await one(`SELECT username, password_hash LIKE 'pbkdf2-sha256$%' AS own FROM users WHERE username = 'admin'`)).toEqual({ username: 'admin', own: true });

    // History: scans with derived results and areas, link events, TraitorTrack's audit trail, and the import's own audit rows.
    const scans = await queryRows<{ scan_id: string; child_qr: string | null; result: string; user_id: number | null }>(
      db,
      sql`SELECT scan_id, child_qr, result, user_id FROM scans WHERE scan_id IN ('tt-scan-1', 'tt-scan-2', 'tt-scan-3', 'tt-scan-12', 'tt-scan-15') ORDER BY scan_id`,
    );
    expect(scans.map((s) => [s.scan_id, s.child_qr, s.result, s.user_id === null])).toEqual([
      ['tt-scan-1', null, 'linked', false],
      ['tt-scan-12', 'TTFXC007', 'linked', false],
      ['tt-scan-15', 'TTFXC002', 'duplicate', true],
      ['tt-scan-2', 'TTFXC001', 'linked', false],
      ['tt-scan-3', 'TTFXC001', 'duplicate', false],
    ]);
    expect(await one(`SELECT count(*)::int AS n FROM scans WHERE scan_id LIKE 'tt-scan-%'`)).toEqual({ n: 14 });
    expect(await one(`SELECT count(*)::int AS n FROM links l JOIN link_events e ON e.event_id = l.event_id WHERE l.event_id LIKE 'tt-%'`)).toEqual({ n: 45 });
    expect(await one(`SELECT u.username FROM links l JOIN users u ON u.id = l.linked_by WHERE l.child_qr = 'TTFXC001'`)).toEqual({ username: 'ravi' });
    const audit = await queryRows<{ action: string; n: number }>(db, sql`SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE '%import%' OR action LIKE 'traitortrack.%' GROUP BY 1 ORDER BY 1`);
    expect(audit).toEqual([
      { action: 'bill.import', n: 4 },
      { action: 'import.traitortrack', n: 1 },
      { action: 'return.import', n: 4 },
      { action: 'traitortrack.create_bag', n: 1 },
      { action: 'traitortrack.create_bill', n: 1 },
      { action: 'traitortrack.delete_bag', n: 1 },
      { action: 'user.import', n: 10 },
    ]);
    expect(await one(`SELECT after, ip, actor_username FROM audit_log WHERE event_id = 'tt-audit-2'`)).toEqual({
      after: { state: { unparsed: 'not json {' }, traitortrackUserId: 4 },
      ip: '10.1.2.4',
      actor_username: 'meena',
    });
    expect(await one(`SELECT after->'tables'->'bag'->>'added' AS added FROM audit_log WHERE action = 'import.traitortrack'`)).toEqual({ added: '56' });
    expect(await one(`SELECT counts->'tables'->'scan'->>'added' AS scans, anomalies->>'link_conflict' AS conflicts FROM import_runs`)).toEqual({ scans: '14', conflicts: '1' });

    // Rows with no TraceTrack feature yet are kept raw, their references resolved.
    expect(await one(`SELECT row->>'ticket_code' AS code, resolved FROM import_staging WHERE source_table = 'return_ticket' AND source_id = '1'`)).toEqual({ code: 'RTN-20220302-4F2A', resolved: { created_by_id: 'meena' } });
    expect(await one(`SELECT resolved FROM import_staging WHERE source_table = 'return_ticket_bag' AND source_id = '1'`)).toEqual({ resolved: { bag_id: 'SB97004', bill_id: 'BILL-A', scanned_by_id: 'meena' } });
    expect(await one(`SELECT row FROM import_staging WHERE source_table = 'user'`)).toEqual({ row: { email: 'amit@example.com' } });
    expect(await one(`SELECT row, resolved FROM import_staging WHERE source_table = 'bag'`)).toEqual({ row: { qr_id: 'SB97001', name: 'Front dock', weight_kg: 29.5 }, resolved: { qr: 'SB97001' } });

    // Return tickets become TraceTrack's, with the parents they took off their bills.
    const tickets = await queryRows<{ source_id: string; code: string; status: string; area: string | null; parent_count: number; child_count: number; closed: boolean; parents: unknown }>(
      db,
      sql`SELECT m.source_id::text, t.code, t.status, a.name AS area, t.parent_count, t.child_count, t.closed_at IS NOT NULL AS closed,
            coalesce((SELECT jsonb_agg(jsonb_build_object('qr', p.bag_qr, 'billNo', p.bill_no, 'billFinalized', p.bill_finalized, 'childCount', p.child_count, 'by', u.username) ORDER BY p.bag_qr)
              FROM return_ticket_parents p LEFT JOIN users u ON u.id = p.returned_by WHERE p.ticket_id = t.id), '[]'::jsonb) AS parents
          FROM import_id_map m JOIN return_tickets t ON t.code = m.target_key LEFT JOIN areas a ON a.id = t.area_id
          WHERE m.entity = 'return_ticket' ORDER BY m.source_id`,
    );
    expect(tickets.map((t) => t.source_id)).toEqual(['1', '2', '3', '4']);
    for (const t of tickets) {
      const want = EXPECTED_RETURNS[Number(t.source_id) as keyof typeof EXPECTED_RETURNS];
      // Ticket 4's code is TraceTrack's own here: it gets a new one (return_code_taken).
      if (want.code && t.source_id !== '4') expect(t.code).toBe(want.code);
      else expect(t.code).toMatch(/^RTN-2022030[23]-[0-9A-F]{4}$/);
      expect({ id: t.source_id, status: t.status, area: t.area, parents: t.parents, parentCount: t.parent_count, childCount: t.child_count, closed: t.closed }).toEqual({
        id: t.source_id,
        status: want.status,
        area: want.area,
        parents: want.parents,
        parentCount: want.parents.length,
        childCount: want.parents.reduce((n, p) => n + p.childCount, 0),
        closed: want.status !== 'open',
      });
    }
    expect(tickets.find((t) => t.source_id === '4')!.code).not.toBe('RTN-20220303-0001');
    // Returned parents are on no bill (SB97004 left finalized BILL-A; SB97002 was on none), and the bill keeps the line.
    expect(await one(`SELECT count(*)::int AS n FROM bill_bags WHERE bag_qr IN ('SB97004', 'SB97002')`)).toEqual({ n: 0 });
    expect(await one(`SELECT t.code, to_char(p.returned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS at FROM return_ticket_parents p JOIN return_tickets t ON t.id = p.ticket_id WHERE p.bill_no = 'BILL-A'`)).toEqual({
      code: 'RTN-20220302-4F2A',
      at: '2022-03-02 13:51',
    });
    expect(await one(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'return.import' AND entity_id = 'RTN-20220302-4F2A'`)).toEqual({ n: 1 });

    expect(await counterMismatches(db, TZ)).toEqual([]);
    expect(await one(`SELECT value::int AS v FROM counters WHERE name = 'bills_completed' AND scope = 'all' AND period = 'total'`)).toEqual({ v: 2 }); // BILL-A (finalized) and BILL-2022-7 (full)

    // Every anomaly is in import_anomalies and in the report file, row by row.
    const stored = await queryRows<{ kind: string; n: number }>(db, sql`SELECT kind, count(*)::int AS n FROM import_anomalies WHERE run_id = ${summary.runId} GROUP BY 1`);
    expect(new Set(stored.map((s) => s.kind))).toEqual(new Set([...FIXTURE_ANOMALIES, ...TRACETRACK_CONFLICTS]));
    const csv = parse(readFileSync(file, 'utf8'), { columns: true }) as Array<{ kind: string; table: string; source_id: string; subject: string; detail: string; rule: string }>;
    expect(csv.length).toBe(stored.reduce((t, s) => t + s.n, 0));
    expect(csv.find((r) => r.kind === 'link_conflict')).toMatchObject({ table: 'link', source_id: '10', subject: 'TTFXC008', rule: expect.stringContaining('oldest link wins') });
    expect(JSON.parse(csv.find((r) => r.kind === 'link_conflict_tracetrack')!.detail)).toMatchObject({ parentQr: 'SB97001', tracetrackParentQr: 'SB97050' });
  });

  test('a second run adds nothing and leaves the same state', async () => {
    const before = await fingerprint(db);
    const summary = await importTraitorTrack(options());
    for (const [table, c] of Object.entries(summary.counts)) expect({ table, added: c.added }).toEqual({ table, added: 0 });
    expect(await fingerprint(db)).toEqual(before);
    expect(summary.anomalies).not.toHaveProperty('bag_exists');
    expect(await one(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import.traitortrack'`)).toEqual({ n: 2 });
  });

  test('a later run brings a return TraitorTrack made since, and takes the parent off the bill the first run put it on', async () => {
    const src = postgres(source.url, { max: 1, onnotice: () => {} });
    try {
      await src.unsafe(`INSERT INTO return_ticket_bag (id, return_ticket_id, bag_id, bill_id, child_count_at_return, scanned_by_id, scanned_at)
        VALUES (6, 1, 101, 301, 6, 4, '2022-03-03 06:00')`);
    } finally {
      await src.end();
    }
    expect(await one(`SELECT count(*)::int AS n FROM bill_bags WHERE bag_qr = 'SB97001'`)).toEqual({ n: 1 });
    const summary = await importTraitorTrack(options());
    expect(summary.counts.return_ticket_bag).toMatchObject({ source: 6, kept: 2, added: 1 });
    expect(summary.counts.return_ticket).toMatchObject({ added: 0, alreadyThere: 4 });
    expect(await one(`SELECT count(*)::int AS n FROM bill_bags WHERE bag_qr = 'SB97001'`)).toEqual({ n: 0 });
    expect(await one(`SELECT parent_count, child_count FROM return_tickets WHERE code = 'RTN-20220302-4F2A'`)).toEqual({ parent_count: 2, child_count: 7 });
    expect(await one(`SELECT bill_no, bill_finalized, child_count, event_id FROM return_ticket_parents WHERE bag_qr = 'SB97001'`)).toEqual({
      bill_no: 'BILL-A', bill_finalized: true, child_count: 6, event_id: 'tt-return-6',
    });
    expect(await counterMismatches(db, TZ)).toEqual([]);
  });

  test('killed with SIGKILL mid-way it leaves nothing behind, and the next run completes it', async () => {
    const bigSource = await startTarget(targetName, { migrate: false });
    const fresh = await startTarget(targetName);
    try {
      await generateTraitorTrack(bigSource.url, { parents: 1500, childrenPerParent: 20, bills: 30, parentsPerBill: 20, auditRows: 500, log: () => {} });
      const freshDb = dbFor(fresh, 'postgres-js');
      try {
        await seedDatabase(freshDb, { environment: 'production', databaseUrl: fresh.url });
        const empty = await fingerprint(freshDb);
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import/traitortrack.ts', '--from', bigSource.url], {
          env: { ...process.env, DATABASE_URL: fresh.url, TRACETRACK_URL: '', ADMIN_USERNAME: '', ADMIN_PASSWORD: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? null : code)));
        await new Promise<void>((resolve, reject) => {
          const onData = (chunk: Buffer) => {
            output += chunk.toString();
            // Once the checks are done the load into TraceTrack's tables is under way.
            if (output.includes('check history')) resolve();
          };
          child.stdout.on('data', onData);
          child.stderr.on('data', onData);
          void exited.then((code) => reject(new Error(`the import ended (${code}) before it could be killed:\n${output}`)));
        });
        child.kill('SIGKILL');
        expect(await exited).toBeNull();
        // The killed run's transaction is gone (PGlite rolls back a vanished client's transaction).
        await new Promise((r) => setTimeout(r, 500));
        expect(await fingerprint(freshDb)).toEqual(empty);
        const summary = await importTraitorTrack({ ...options(), from: bigSource.url, to: fresh.url });
        expect(summary.counts.bag).toMatchObject({ source: 31_500, kept: 31_500, added: 31_500 });
        expect(summary.counts.link).toMatchObject({ kept: 30_000, added: 30_000 });
        expect(await counterMismatches(freshDb, TZ)).toEqual([]);
        const again = await importTraitorTrack({ ...options(), from: bigSource.url, to: fresh.url });
        expect(again.counts.scan!.added).toBe(0);
      } finally {
        await closeDb(freshDb);
      }
    } finally {
      await fresh.stop();
      await bigSource.stop();
    }
  }, 240_000);
});
