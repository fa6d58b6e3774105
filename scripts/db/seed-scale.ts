// `npm run seed:scale`: loads a production-sized data set into Postgres for benchmarks and load tests:
// by default 60,000 parent bags of 30 children (1.8 million child bags), 1,200 bills, their links and link
// events, ~60 days of scan history (linked, duplicate and rejected scans, some undone links) spread over the
// ten dispatch areas and 50 scanner accounts, then rebuilds the dashboard counters from the tables.
//
// Fast because nothing travels row by row: every table is filled by one server-side INSERT … SELECT over
// generate_series, with the secondary indexes dropped during the load and rebuilt afterwards, all in ONE
// transaction (a failure leaves the database as it was).
//
//   DATABASE_URL=postgres://… npm run seed:scale -- [--truncate] [--parents 60000] [--children 30] [--bills 1200]
//       [--days 60] [--registry-url http://127.0.0.1:8787]
//
// Refuses to run on a database that already holds bags unless --truncate is given (which empties bags, links,
// scans, bills and counters, but keeps areas and users). Afterwards the QR registry (Durable Objects) must be
// rebuilt from Postgres: with --registry-url it runs `registry:rebuild` against that running worker.
import postgres from 'postgres';
import { hashPassword } from '../../src/worker/auth/password';
import { closeDb, getDb } from '../../src/db/client';
import { DEFAULT_TIME_ZONE } from '../../src/db/counter-sql';
import { rebuildCounters } from '../../src/db/counters';
import { rebuildRegistry } from '../registry-rebuild';
import { dropSecondaryIndexes, recreateIndexes } from './bulk-indexes';
import { isMain, requireDatabaseUrl, runMain } from './cli';
import { seedDatabase } from './seed';

export interface ScaleOptions {
  parents: number;
  childrenPerParent: number;
  bills: number;
  days: number;
  truncate: boolean;
  timeZone: string;
  /** The load ends this long before "now", so today's dashboard has data and nothing lies in the future. */
  endsAt?: Date;
  log?: (line: string) => void;
}

export interface ScaleReport {
  parents: number;
  children: number;
  bills: number;
  scans: number;
  seconds: number;
}

const AREAS = 10;
const DISPATCHERS_PER_AREA = 5;
const BILLERS = 5;
/** Bills hold this many parents (fewer when there are not enough parents), all within the 1–50 capacity. */
const PARENTS_PER_BILL = 40;
const SCALE_TABLES = ['bags', 'links', 'link_events', 'scans', 'bill_bags', 'bills', 'audit_log'];

export const DEFAULT_SCALE: Omit<ScaleOptions, 'truncate'> = {
  parents: 60_000,
  childrenPerParent: 30,
  bills: 1_200,
  days: 60,
  timeZone: DEFAULT_TIME_ZONE,
};

export async function seedScale(databaseUrl: string, options: ScaleOptions): Promise<ScaleReport> {
  const log = options.log ?? console.log;
  const { parents: P, childrenPerParent: K, bills: B, days: D } = options;
  if (!Number.isInteger(P) || P < 1 || P > 100_000) throw new Error('--parents must be 1–100,000 (parent QRs are SB00000–SB99999).');
  if (!Number.isInteger(K) || K < 1 || K > 1000) throw new Error('--children must be 1–1,000 per parent.');
  if (!Number.isInteger(B) || B < 0 || B > P) throw new Error('--bills must be 0 up to the number of parents.');
  if (!Number.isInteger(D) || D < 1 || D > 3650) throw new Error('--days must be 1–3,650.');
  const started = Date.now();

  // Areas and the demo users first (idempotent), with drizzle like the ordinary seed.
  const db = getDb({ DATABASE_URL: databaseUrl });
  try {
    await seedDatabase(db, { environment: 'production', databaseUrl });
  } finally {
    await closeDb(db);
  }

  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, prepare: false });
  try {
    const [{ n: existing }] = await sql<[{ n: number }]>`SELECT count(*)::int AS n FROM (SELECT 1 FROM bags LIMIT 1) x`;
    if (existing > 0 && !options.truncate) {
      throw new Error('The database already holds bags. Re-run with --truncate to replace bags, links, scans, bills and counters.');
    }
    const areaIds = (await sql<{ id: number }[]>`SELECT id FROM areas ORDER BY id LIMIT ${AREAS}`).map((r) => r.id);
    if (areaIds.length < AREAS) throw new Error(`Expected ${AREAS} dispatch areas, found ${areaIds.length}.`);

    // Scanner and biller accounts that cannot sign in (a random password nobody knows).
    const hash = await hashPassword(crypto.randomUUID());
    for (const [a, areaId] of areaIds.entries()) {
      for (let u = 0; u < DISPATCHERS_PER_AREA; u++) {
        await sql`INSERT INTO users (username, password_hash, role, area_id) VALUES (${`scale_d${a}_${u}`}, ${hash}, 'dispatcher', ${areaId}) ON CONFLICT DO NOTHING`;
      }
    }
    for (let b = 0; b < BILLERS; b++) {
      await sql`INSERT INTO users (username, password_hash, role) VALUES (${`scale_biller${b}`}, ${hash}, 'biller') ON CONFLICT DO NOTHING`;
    }
    const dispatcherIds = (await sql<{ id: number }[]>`SELECT id FROM users WHERE username LIKE 'scale\\_d%' ORDER BY username`).map((r) => r.id);
    const billerIds = (await sql<{ id: number }[]>`SELECT id FROM users WHERE username LIKE 'scale\\_biller%' ORDER BY username`).map((r) => r.id);

    const perBill = B === 0 ? 0 : Math.max(1, Math.min(PARENTS_PER_BILL, Math.floor((P * 0.8) / B)));
    // The newest 5% of bills are still being loaded: half full, not finalized.
    const openFrom = Math.floor(B * 0.95);
    const end = options.endsAt ?? new Date(Date.now() - 3600_000);
    const start = new Date(end.getTime() - D * 86_400_000);
    // Each parent fills over K × 20 s; parents start evenly over the period.
    const stepMs = Math.floor((D * 86_400_000 - K * 20_000) / P);

    await sql.begin(async (tx) => {
      const run = async (label: string, text: string) => {
        const t = Date.now();
        const result = await tx.unsafe(text);
        log(`  ${label}: ${result.count ?? ''} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      };
      await tx.unsafe(`SET LOCAL maintenance_work_mem = '512MB'`);
      await tx.unsafe(`SET LOCAL work_mem = '64MB'`);
      await tx.unsafe(`SET LOCAL synchronous_commit = off`);
      if (options.truncate) {
        await tx.unsafe('TRUNCATE flush_conflicts, counters, audit_log, return_ticket_parents, return_tickets, bill_bags, bills, scans, link_events, links, bags RESTART IDENTITY');
      }
      // Secondary indexes are rebuilt once at the end: much faster than maintaining them row by row.
      const indexes = await dropSecondaryIndexes(tx, SCALE_TABLES);

      // Arithmetic, not joins: parent i, its k-th child j = i*K + k; area, scanner and times follow from i.
      const area = (i: string) => `(ARRAY[${areaIds.join(',')}])[(${i}) % ${AREAS} + 1]`;
      const user = (i: string) => `(ARRAY[${dispatcherIds.join(',')}])[((${i}) % ${AREAS}) * ${DISPATCHERS_PER_AREA} + ((${i}) / ${AREAS}) % ${DISPATCHERS_PER_AREA} + 1]`;
      const pStart = (i: string) => `(timestamptz '${start.toISOString()}' + (${i})::bigint * interval '${stepMs} milliseconds')`;
      const cAt = (i: string, k: string) => `(${pStart(i)} + ((${k}) + 1) * interval '20 seconds')`;
      const pQr = (i: string) => `('SB' || lpad((${i})::text, 5, '0'))`;
      const cQr = (j: string) => `('CB' || lpad((${j})::text, 8, '0'))`;
      const children = `SELECT j, j / ${K} AS i, j % ${K} AS k FROM generate_series(0, ${P * K - 1}) j`;
      // Every 50th parent also had one child linked and then undone (an unlinked child bag).
      const undone = `SELECT i, 'CU' || lpad(i::text, 8, '0') AS qr FROM generate_series(0, ${P - 1}, 50) i`;

      await run('parent bags', `INSERT INTO bags (qr, type, area_id, status, child_count, created_by, created_at, updated_at, completed_at, version)
        SELECT ${pQr('i')}, 'parent', ${area('i')}, 'completed', ${K}, ${user('i')}, ${pStart('i')}, ${cAt('i', `${K - 1}`)}, ${cAt('i', `${K - 1}`)}, ${K}
        FROM generate_series(0, ${P - 1}) i`);
      await run('child bags', `INSERT INTO bags (qr, type, area_id, status, child_count, created_by, created_at, updated_at)
        SELECT ${cQr('j')}, 'child', ${area('i')}, 'linked', 0, ${user('i')}, ${cAt('i', 'k')}, ${cAt('i', 'k')} FROM (${children}) c`);
      await run('undone child bags', `INSERT INTO bags (qr, type, area_id, status, child_count, created_by, created_at, updated_at)
        SELECT qr, 'child', ${area('i')}, 'unlinked', 0, ${user('i')}, ${pStart('i')} + interval '5 seconds', ${pStart('i')} + interval '15 seconds' FROM (${undone}) u`);
      await run('links', `INSERT INTO links (child_qr, parent_qr, linked_at, linked_by, event_id)
        SELECT ${cQr('j')}, ${pQr('i')}, ${cAt('i', 'k')}, ${user('i')}, 'seed-l-' || j FROM (${children}) c`);
      await run('link events', `INSERT INTO link_events (event_id, kind, child_qr, parent_qr, at, user_id, reason)
        SELECT 'seed-l-' || j, 'link', ${cQr('j')}, ${pQr('i')}, ${cAt('i', 'k')}, ${user('i')}, NULL FROM (${children}) c
        UNION ALL SELECT 'seed-ul-' || i, 'link', qr, ${pQr('i')}, ${pStart('i')} + interval '5 seconds', ${user('i')}, NULL FROM (${undone}) u
        UNION ALL SELECT 'seed-uu-' || i, 'unlink', qr, ${pQr('i')}, ${pStart('i')} + interval '15 seconds', ${user('i')}, 'undo' FROM (${undone}) u`);
      // Scans: one per link, a duplicate for every 20th child, a rejection (child already in the previous
      // parent) for every 100th, and the undone children's scans.
      await run('scans', `INSERT INTO scans (scan_id, parent_qr, child_qr, user_id, area_id, result, error_code, created_at)
        SELECT 'seed-s-' || j, ${pQr('i')}, ${cQr('j')}, ${user('i')}, ${area('i')}, 'linked', NULL, ${cAt('i', 'k')} FROM (${children}) c
        UNION ALL SELECT 'seed-d-' || j, ${pQr('i')}, ${cQr('j')}, ${user('i')}, ${area('i')}, 'duplicate', NULL, ${cAt('i', 'k')} + interval '5 seconds'
          FROM (${children}) c WHERE j % 20 = 7
        UNION ALL SELECT 'seed-r-' || j, ${pQr('i + 1')}, ${cQr('j')}, ${user('i + 1')}, ${area('i + 1')}, 'rejected', 'CHILD_IN_OTHER_PARENT',
          ${pStart('i + 1')} + interval '7 seconds' FROM (${children}) c WHERE j % 100 = 42 AND i + 1 < ${P}
        UNION ALL SELECT 'seed-u-' || i, ${pQr('i')}, qr, ${user('i')}, ${area('i')}, 'linked', NULL, ${pStart('i')} + interval '5 seconds' FROM (${undone}) u`);
      if (B > 0) {
        const billAt = (b: string) => `(${cAt(`(${b}) * ${perBill}`, `${K - 1}`)} + interval '1 hour')`;
        const lastAt = (b: string) => `(${cAt(`(${b}) * ${perBill} + ${perBill - 1}`, `${K - 1}`)} + interval '2 hours')`;
        const biller = (b: string) => `(ARRAY[${billerIds.join(',')}])[(${b}) % ${BILLERS} + 1]`;
        await run('bills', `INSERT INTO bills (bill_no, destination, vehicle_no, description, capacity, status, finalized, created_by, created_at, updated_at, finalized_at)
          SELECT 'BILL-' || lpad(b::text, 5, '0'), (ARRAY['Delhi','Mumbai','Kolkata','Chennai','Patna','Bhopal'])[b % 6 + 1],
            'UP' || lpad((b % 90 + 10)::text, 2, '0') || ' T ' || lpad((b * 37 % 10000)::text, 4, '0'), 'Seeded bill ' || b, ${perBill},
            CASE WHEN b >= ${openFrom} THEN 'in_progress' ELSE 'completed' END, b < ${openFrom}, ${biller('b')},
            ${billAt('b')}, ${lastAt('b')}, CASE WHEN b < ${openFrom} THEN ${lastAt('b')} END
          FROM generate_series(0, ${B - 1}) b`);
        await run('bill bags', `INSERT INTO bill_bags (bag_qr, bill_id, added_at, added_by)
          SELECT ${pQr('i')}, bl.id, ${cAt('i', `${K - 1}`)} + interval '90 minutes', bl.created_by
          FROM generate_series(0, ${B * perBill - 1}) i JOIN bills bl ON bl.bill_no = 'BILL-' || lpad((i / ${perBill})::text, 5, '0')
          WHERE i / ${perBill} < ${openFrom} OR i % ${perBill} < greatest(1, ${Math.floor(perBill / 2)})`);
        await run('bill audit rows', `INSERT INTO audit_log (at, actor_id, actor_username, action, entity_type, entity_id, after, event_id)
          SELECT bl.created_at, bl.created_by, u.username, 'bill.create', 'bill', bl.bill_no, jsonb_build_object('billNo', bl.bill_no, 'capacity', bl.capacity), 'seed-bill-' || bl.id
          FROM bills bl LEFT JOIN users u ON u.id = bl.created_by`);
      }
      const t = Date.now();
      await recreateIndexes(tx, indexes);
      log(`  ${indexes.length} indexes rebuilt in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    });

    const t = Date.now();
    const cdb = getDb({ DATABASE_URL: databaseUrl });
    try {
      await rebuildCounters(cdb, options.timeZone);
    } finally {
      await closeDb(cdb);
    }
    log(`  counters rebuilt in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await sql.unsafe('ANALYZE bags, links, link_events, scans, bills, bill_bags, counters, audit_log');
    const [totals] = await sql<[{ parents: number; children: number; bills: number; scans: number }]>`SELECT
      (SELECT count(*) FROM bags WHERE type = 'parent')::int AS parents, (SELECT count(*) FROM bags WHERE type = 'child')::int AS children,
      (SELECT count(*) FROM bills)::int AS bills, (SELECT count(*) FROM scans)::int AS scans`;
    return { ...totals, seconds: Math.round((Date.now() - started) / 100) / 10 };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isFinite(value)) throw new Error(`${name} needs a number`);
  return value;
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const args = process.argv.slice(2);
    const url = requireDatabaseUrl();
    const options: ScaleOptions = {
      parents: numberArg(args, '--parents', DEFAULT_SCALE.parents),
      childrenPerParent: numberArg(args, '--children', DEFAULT_SCALE.childrenPerParent),
      bills: numberArg(args, '--bills', DEFAULT_SCALE.bills),
      days: numberArg(args, '--days', DEFAULT_SCALE.days),
      truncate: args.includes('--truncate'),
      timeZone: process.env.TIME_ZONE ?? DEFAULT_TIME_ZONE,
    };
    console.log(`Loading ${options.parents} parents × ${options.childrenPerParent} children, ${options.bills} bills, ${options.days} days of scans…`);
    const report = await seedScale(url, options);
    console.log(`Done in ${report.seconds} s: ${report.parents} parents, ${report.children} child bags, ${report.bills} bills, ${report.scans} scans.`);
    const registryIndex = args.indexOf('--registry-url');
    const registryUrl = registryIndex >= 0 ? args[registryIndex + 1] : undefined;
    if (registryUrl) {
      console.log(`Rebuilding the QR registry of ${registryUrl}…`);
      const password = process.env.ADMIN_PASSWORD ?? 'tracetrack-dev';
      await rebuildRegistry(registryUrl, process.env.ADMIN_USERNAME ?? 'admin', password);
    } else {
      console.log('Next: rebuild the QR registry from Postgres with a worker running on this database:');
      console.log('  TRACETRACK_URL=http://localhost:8787 ADMIN_PASSWORD=… npm run registry:rebuild');
    }
  });
}
