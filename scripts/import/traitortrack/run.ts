// `npm run import:traitortrack`: moves a TraitorTrack deployment into TraceTrack's Postgres in one
// transaction on TraceTrack's side: copy (extract.ts) → check and shape (transform.ts, people.ts,
// bill-numbers.ts) → write (load.ts) → commit. Killed anywhere before the commit, nothing stays; run again
// after it, nothing is added twice. A dry run does the same up to the write and rolls back.
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import { scriptAuditMeta } from '../../../src/db/audit';
import { planBillNumbers, type SourceBill } from './bill-numbers';
import { extract, stagingDdl, type SourceShape } from './extract';
import { BULK_THRESHOLD, load, SOURCE, type LoadContext } from './load';
import { planPeople, type SourceUser } from './people';
import type { Progress } from './progress';
import { formatSummary, writeReport, type ImportSummary, type TableCount } from './report';
import { ANOMALY_RULES, type Anomaly, type AnomalyKind } from './rules';
import { planReturns, returnStageSteps } from './returns';
import { bagSteps, historySteps, runSteps } from './transform';

export interface ImportOptions {
  /** TraitorTrack's Postgres (read only). */
  from: string;
  /** TraceTrack's Postgres (DATABASE_URL), migrated. */
  to: string;
  dryRun: boolean;
  reportFile?: string;
  parentCapacity: number;
  timeZone: string;
  progress: Progress;
  /** The audit rows' actor (default `system:import-traitortrack`; the OS user and host go into the run's row). */
  actor?: string;
  /** Stage rows with COPY (default: unless the target is the embedded PGlite) or with INSERT … unnest batches. */
  copy?: boolean;
}

class DryRunDone extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run: rolled back');
  }
}

/** host:port/database, never the password. */
export function sourceLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'the source database';
  }
}

/** The OS user and host that ran the import, for its audit row. */
function ranBy(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `unknown@${hostname()}`; // no user database in some containers
  }
}

const connect = (url: string) => postgres(url, { max: 1, onnotice: () => {}, prepare: false, connection: { application_name: 'tracetrack-import' } });

async function insertAnomalies(tx: TransactionSql, anomalies: Anomaly[]): Promise<void> {
  if (anomalies.length === 0) return;
  await tx.unsafe(
    `INSERT INTO t_anomaly (kind, source_table, source_id, subject, detail)
     SELECT k, t, i, s, d::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS a(k, t, i, s, d)`,
    [anomalies.map((a) => a.kind), anomalies.map((a) => a.table), anomalies.map((a) => a.sourceId), anomalies.map((a) => a.subject), anomalies.map((a) => JSON.stringify(a.detail))] as never,
  );
}

/** People and bill numbers, planned in Node from the staged rows and what TraceTrack holds: t_user and t_bill. */
async function planSmallTables(tx: TransactionSql) {
  const sourceUsers = await tx<Array<Record<string, string | boolean | null>>>`SELECT id::text, username, password_hash, role, dispatch_area, verified,
    totp_secret, two_fa_enabled, created_at::text FROM s_user`;
  const areas = await tx<Array<{ id: number; name: string }>>`SELECT id, name FROM areas`;
  const tracetrackUsers = await tx<Array<{ id: number; username: string }>>`SELECT id, username FROM users`;
  const importedUsers = await tx<Array<{ source_id: string; id: number }>>`SELECT m.source_id::text, u.id FROM import_id_map m
    JOIN users u ON u.id = m.target_key::int WHERE m.source = ${SOURCE} AND m.entity = 'user'`;
  const users: SourceUser[] = sourceUsers.map((u) => ({
    id: Number(u.id),
    username: u.username as string | null,
    passwordHash: u.password_hash as string | null,
    role: u.role as string | null,
    dispatchArea: u.dispatch_area as string | null,
    verified: u.verified as boolean | null,
    totpSecret: u.totp_secret as string | null,
    twoFaEnabled: u.two_fa_enabled as boolean | null,
    createdAt: u.created_at as string | null,
  }));
  const people = planPeople(users, areas, tracetrackUsers, new Map(importedUsers.map((r) => [Number(r.source_id), r.id])));
  const byId = new Map(tracetrackUsers.map((u) => [u.id, u]));
  const areaOf = new Map((await tx<Array<{ id: number; area_id: number | null }>>`SELECT id, area_id FROM users`).map((u) => [u.id, u.area_id]));
  const tUser = [
    ...people.create.map((u) => ({ source: u.sourceId, username: u.username, area: u.areaId, target: null as number | null })),
    ...[...people.existing].map(([source, target]) => ({ source, username: byId.get(target)?.username ?? null, area: areaOf.get(target) ?? null, target })),
  ];
  await tx.unsafe(`CREATE TEMP TABLE t_user ON COMMIT DROP AS
    SELECT source_id::bigint, username, area_id::int, target_id::int FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(source_id, username, area_id, target_id)`, [
    tUser.map((u) => String(u.source)),
    tUser.map((u) => u.username),
    tUser.map((u) => (u.area === null ? null : String(u.area))),
    tUser.map((u) => (u.target === null ? null : String(u.target))),
  ] as never);
  await tx.unsafe('CREATE UNIQUE INDEX ON t_user (source_id); ANALYZE t_user').simple();

  const sourceBills = await tx<Array<{ id: string; bill_id: string | null; created_at: string | null }>>`SELECT id::text, bill_id, created_at::text FROM s_bill`;
  const billNos = (await tx<Array<{ bill_no: string }>>`SELECT bill_no FROM bills`).map((b) => b.bill_no);
  const importedBills = await tx<Array<{ source_id: string; bill_no: string }>>`SELECT m.source_id::text, b.bill_no FROM import_id_map m
    JOIN bills b ON b.bill_no = m.target_key WHERE m.source = ${SOURCE} AND m.entity = 'bill'`;
  const bills = planBillNumbers(
    sourceBills.map((b): SourceBill => ({ id: Number(b.id), billNo: b.bill_id, createdAt: b.created_at })),
    billNos,
    new Map(importedBills.map((b) => [Number(b.source_id), b.bill_no])),
  );
  const tBill = [...[...bills.create].map(([id, no]) => ({ id, no, existing: false })), ...[...bills.existing].map(([id, no]) => ({ id, no, existing: true }))];
  await tx.unsafe(`CREATE TEMP TABLE t_bill ON COMMIT DROP AS
    SELECT source_id::bigint, bill_no, existing::boolean FROM unnest($1::text[], $2::text[], $3::text[]) AS b(source_id, bill_no, existing)`, [
    tBill.map((b) => String(b.id)),
    tBill.map((b) => b.no),
    tBill.map((b) => String(b.existing)),
  ] as never);
  await tx.unsafe('CREATE UNIQUE INDEX ON t_bill (source_id); ANALYZE t_bill').simple();
  await insertAnomalies(tx, [...people.anomalies, ...bills.anomalies]);
  return { people, bills };
}

/** Per table: TraitorTrack's rows, the rows TraceTrack will hold, and how many of those are new. */
async function countTables(tx: TransactionSql, people: { created: number; existing: number; source: number }): Promise<Record<string, TableCount>> {
  const [r] = await tx.unsafe<Array<Record<string, string>>>(`SELECT
    (SELECT count(*) FROM s_bag) AS bag_source, (SELECT count(*) FROM f_bag) AS bag_kept, (SELECT count(*) FROM f_bag WHERE NOT existing) AS bag_added,
    (SELECT count(*) FROM t_link_cand) AS link_source, (SELECT count(*) FROM f_link) AS link_kept,
    (SELECT count(*) FROM f_link l WHERE NOT EXISTS (SELECT 1 FROM links x WHERE x.child_qr = l.c_qr)) AS link_added,
    (SELECT count(*) FROM s_bill) AS bill_source, (SELECT count(*) FROM f_bill) AS bill_kept, (SELECT count(*) FROM f_bill WHERE NOT existing) AS bill_added,
    (SELECT count(*) FROM s_bill_bag) AS bill_bag_source, (SELECT count(*) FROM f_bill_bag) AS bill_bag_kept,
    (SELECT count(*) FROM f_bill_bag b WHERE NOT EXISTS (SELECT 1 FROM bill_bags x WHERE x.bag_qr = b.qr)) AS bill_bag_added,
    (SELECT count(*) FROM s_scan) AS scan_source, (SELECT count(*) FROM f_scan) AS scan_kept,
    (SELECT count(*) FROM f_scan s WHERE NOT EXISTS (SELECT 1 FROM scans x WHERE x.scan_id = s.scan_id)) AS scan_added,
    (SELECT count(*) FROM s_audit) AS audit_log_source, (SELECT count(*) FROM s_audit) AS audit_log_kept,
    (SELECT count(*) FROM s_audit a WHERE NOT EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = 'tt-audit-' || a.id)) AS audit_log_added,
    (SELECT count(*) FROM t_rt_src) AS return_ticket_source, (SELECT count(*) FROM f_return) AS return_ticket_kept,
    (SELECT count(*) FROM f_return WHERE NOT existing) AS return_ticket_added,
    (SELECT count(*) FROM t_rtb_src) AS return_ticket_bag_source, (SELECT count(*) FROM f_return_parent WHERE origin = 'return_ticket_bag') AS return_ticket_bag_kept,
    (SELECT count(*) FROM f_return_parent p WHERE origin = 'return_ticket_bag' AND NOT EXISTS (SELECT 1 FROM return_ticket_parents x WHERE x.event_id = p.event_id)) AS return_ticket_bag_added`);
  const row = r!;
  const table = (prefix: string): TableCount => {
    const source = Number(row[`${prefix}_source`]);
    const kept = Number(row[`${prefix}_kept`]);
    const added = Number(row[`${prefix}_added`]);
    return { source, kept, added, alreadyThere: kept - added, notImported: source - kept };
  };
  return {
    user: { source: people.source, kept: people.source, added: people.created, alreadyThere: people.existing, notImported: 0 },
    bag: table('bag'),
    link: table('link'),
    bill: table('bill'),
    bill_bag: table('bill_bag'),
    scan: table('scan'),
    audit_log: table('audit_log'),
    return_ticket: table('return_ticket'),
    return_ticket_bag: table('return_ticket_bag'),
  };
}

function skippedTables(shape: SourceShape): ImportSummary['skipped'] {
  return [
    ...shape.missing.map((table) => ({ table, rows: null, reason: 'not in this TraitorTrack database (older version)' })),
    ...shape.unknown.map((t) => ({ table: t.name, rows: t.rows, reason: 'not a TraitorTrack table this import knows; left in TraitorTrack' })),
  ];
}

const ANOMALY_QUERY = (relation: string, where: string) =>
  `SELECT kind, source_table, source_id, subject, detail FROM ${relation} ${where} ORDER BY kind, source_table, length(source_id), source_id`;

async function anomalyFacts(tx: TransactionSql | Sql, relation: string, where: string, params: unknown[]) {
  const counts = await tx.unsafe<Array<{ kind: AnomalyKind; n: string }>>(`SELECT kind, count(*) AS n FROM ${relation} ${where} GROUP BY kind ORDER BY kind`, params as never);
  const examples = await tx.unsafe<Array<{ kind: AnomalyKind; source_id: string | null; subject: string | null; detail: unknown }>>(
    `SELECT kind, source_id, subject, detail FROM (
       SELECT *, row_number() OVER (PARTITION BY kind ORDER BY source_table, length(source_id), source_id) AS rn FROM ${relation} ${where}) x
     WHERE rn <= 3 ORDER BY kind, rn`,
    params as never,
  );
  const anomalies: ImportSummary['anomalies'] = {};
  for (const c of counts) anomalies[c.kind] = Number(c.n);
  const ex: ImportSummary['examples'] = {};
  for (const e of examples) (ex[e.kind] ??= []).push({ sourceId: e.source_id, subject: e.subject, detail: e.detail });
  return { anomalies, examples: ex };
}

export async function importTraitorTrack(options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const runId = randomUUID();
  const label = sourceLabel(options.from);
  const actor = options.actor ?? scriptAuditMeta('import-traitortrack').actorUsername!;
  const { progress } = options;
  const tgt = connect(options.to);
  try {
    const [ready] = await tgt<[{ ok: boolean }]>`SELECT to_regclass('import_runs') IS NOT NULL AS ok`;
    if (!ready?.ok) throw new Error('TraceTrack\'s database is not migrated to this version: run `npm run db:migrate` (and `npm run db:seed` for the areas) first.');
    const [{ areas }] = await tgt<[{ areas: number }]>`SELECT count(*)::int AS areas FROM areas`;
    if (areas === 0) throw new Error('TraceTrack has no dispatch areas yet: run `npm run db:seed` first (every account and bag would otherwise lose its area).');
    const [{ n: previous }] = await tgt<[{ n: number }]>`SELECT count(*)::int AS n FROM import_runs WHERE source = ${SOURCE}`;
    const settings = { parentCapacity: options.parentCapacity, previousRun: previous > 0 };
    // The embedded PGlite cannot take COPY … FROM STDIN over its socket; every real Postgres can.
    const [{ version }] = await tgt<[{ version: string }]>`SELECT version()`;
    const useCopy = options.copy ?? !/PGlite/i.test(version);
    let summary: ImportSummary;
    try {
      summary = await tgt.begin(async (tx) => {
        // Staged timestamps are UTC text; the counters and reports use explicit zones, never the session's.
        await tx.unsafe(`SET LOCAL TIME ZONE 'UTC'`);
        // Millions of staged rows: sorts, hashes and temporary tables in memory rather than on disk (the
        // embedded PGlite is a 32-bit WebAssembly process, so it gets less).
        const pglite = !useCopy && /PGlite/i.test(version);
        await tx.unsafe(`SET LOCAL temp_buffers = '${pglite ? '32MB' : '1GB'}'`);
        await tx.unsafe(`SET LOCAL work_mem = '${pglite ? '16MB' : '256MB'}'`);
        await tx.unsafe(`SET LOCAL maintenance_work_mem = '${pglite ? '64MB' : '512MB'}'`);
        for (const ddl of stagingDdl()) await tx.unsafe(ddl);
        const { shape, copied } = await extract(options.from, tx, progress, useCopy);
        await runSteps(tx, 'check bags', bagSteps(settings), progress);
        const { people } = await planSmallTables(tx);
        await runSteps(tx, 'stage returns', returnStageSteps(), progress);
        const returns = await planReturns(tx, options.timeZone);
        await insertAnomalies(tx, returns.anomalies);
        await runSteps(tx, 'check history', historySteps(settings), progress);
        const counts = await countTables(tx, { created: people.create.length, existing: people.existing.size, source: copied.user ?? 0 });
        const staged = Object.fromEntries(
          (await tx<Array<{ source_table: string; n: string }>>`SELECT source_table, count(*) AS n FROM f_raw GROUP BY 1 ORDER BY 1`).map((r) => [r.source_table, Number(r.n)]),
        );
        const base = {
          runId,
          dryRun: options.dryRun,
          source: label,
          startedAt,
          counts,
          staged,
          skipped: skippedTables(shape),
        };
        if (options.dryRun) {
          const facts = await anomalyFacts(tx, 't_anomaly', '', []);
          const result: ImportSummary = { ...base, ...facts, seconds: Math.round((Date.now() - started) / 100) / 10 };
          if (options.reportFile) await writeReport(tx, options.reportFile, result, ANOMALY_QUERY('t_anomaly', ''), []);
          throw new DryRunDone(result);
        }
        const ctx: LoadContext = { runId, actor, people, bulk: counts.bag!.added >= BULK_THRESHOLD, parentCapacity: options.parentCapacity, timeZone: options.timeZone };
        await load(tx, ctx, progress);
        const facts = await anomalyFacts(tx, 't_anomaly', '', []);
        await tx`INSERT INTO import_runs (id, source, source_label, started_at, counts, anomalies)
          VALUES (${runId}, ${SOURCE}, ${label}, ${startedAt}, ${JSON.stringify({ tables: counts, staged, skipped: base.skipped })}::text::jsonb, ${JSON.stringify(facts.anomalies)}::text::jsonb)`;
        await tx.unsafe(`INSERT INTO import_anomalies (run_id, kind, source_table, source_id, subject, detail)
          SELECT $1, kind, source_table, source_id, subject, detail FROM t_anomaly ORDER BY kind, source_table, length(source_id), source_id`, [runId]);
        await tx`INSERT INTO audit_log (actor_username, action, entity_type, entity_id, after, event_id)
          VALUES (${actor}, 'import.traitortrack', 'import', ${runId}, ${JSON.stringify({ source: label, ranBy: ranBy(), tables: counts, staged, anomalies: facts.anomalies })}::text::jsonb, ${`import-run-${runId}`})`;
        return { ...base, ...facts, seconds: 0 };
      });
    } catch (error) {
      if (!(error instanceof DryRunDone)) throw error;
      summary = error.summary;
    }
    if (!options.dryRun) {
      if (summary.counts.bag!.added >= BULK_THRESHOLD) {
        progress.log('  analyzing the imported tables…');
        await tgt.unsafe('ANALYZE bags, links, link_events, scans, bills, bill_bags, audit_log, counters');
      }
      summary.seconds = Math.round((Date.now() - started) / 100) / 10;
      if (options.reportFile) await writeReport(tgt, options.reportFile, summary, ANOMALY_QUERY('import_anomalies', 'WHERE run_id = $1'), [runId]);
    }
    return summary;
  } finally {
    await tgt.end({ timeout: 5 });
  }
}

export { formatSummary, ANOMALY_RULES };
