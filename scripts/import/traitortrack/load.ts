// Step 3 (not in a dry run): the f_* tables into TraceTrack's tables, in the import's one transaction.
// Every INSERT is ON CONFLICT DO NOTHING on the natural keys (QR, child QR, scan id, event id, bill number),
// so a second run adds nothing twice; users and bills carry their TraitorTrack ids in import_id_map.
// Big imports drop the secondary indexes and foreign keys first and rebuild them once; the counters are recounted from the
// tables at the end (under a lock that makes concurrent flushes wait, so none is counted twice or lost).
import { PgDialect } from 'drizzle-orm/pg-core';
import type { TransactionSql } from 'postgres';
import { recountQuery } from '../../../src/db/counters';
import { dropForeignKeys, dropSecondaryIndexes, recreateIndexes, restoreForeignKeys } from '../../db/bulk-indexes';
import type { PeoplePlan } from './people';
import type { Progress } from './progress';
import { returnLoadSteps } from './returns';
import { runSteps } from './transform';

export const SOURCE = 'traitortrack';
/** Above this many new bags, secondary indexes are dropped during the load and rebuilt after it. */
export const BULK_THRESHOLD = 50_000;
const BULK_TABLES = ['bags', 'links', 'link_events', 'scans', 'bill_bags', 'audit_log'];

export interface LoadContext {
  runId: string;
  actor: string;
  people: PeoplePlan;
  bulk: boolean;
  parentCapacity: number;
  timeZone: string;
}

// Array parameters are always text[] with casts in SQL: postgres.js serializes by the server's declared
// type, so strings sent as boolean[] would all read false and as jsonb[] would be encoded twice.

/** Creates the planned accounts and records their TraitorTrack ids; t_user gets their TraceTrack ids. */
async function createPeople(tx: TransactionSql, ctx: LoadContext): Promise<void> {
  const create = ctx.people.create;
  if (create.length === 0) return;
  const col = <T>(f: (u: (typeof create)[number]) => T) => create.map(f);
  await tx.unsafe(
    `WITH planned AS (
       SELECT source_id::bigint, username, password_hash, role, area_id::int, active::boolean, totp_secret, totp_enabled::boolean,
         created_at::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS p(source_id, username, password_hash, role, area_id, active, totp_secret, totp_enabled, created_at)
     ),
     ins AS (
       INSERT INTO users (username, password_hash, role, area_id, active, totp_secret, totp_enabled, created_at, updated_at, password_changed_at)
       SELECT username, password_hash, role, area_id, active, totp_secret, totp_enabled, coalesce(created_at, now()), now(), now() FROM planned
       RETURNING id, username
     ),
     mapped AS (SELECT p.*, i.id FROM planned p JOIN ins i ON lower(i.username) = lower(p.username)),
     ids AS (INSERT INTO import_id_map (source, entity, source_id, target_key, run_id) SELECT '${SOURCE}', 'user', source_id, id::text, $10 FROM mapped),
     audit AS (
       INSERT INTO audit_log (actor_username, action, entity_type, entity_id, after, event_id)
       SELECT $11, 'user.import', 'user', id::text,
         jsonb_build_object('username', username, 'role', role, 'areaId', area_id, 'active', active, 'totpEnabled', totp_enabled,
           'traitortrackId', source_id, 'password', CASE WHEN password_hash LIKE '!%' THEN 'unusable' ELSE 'werkzeug hash' END),
         'tt-import-user-' || source_id
       FROM mapped ON CONFLICT (event_id) DO NOTHING
     )
     UPDATE t_user t SET target_id = m.id FROM mapped m WHERE t.source_id = m.source_id`,
    [
      col((u) => String(u.sourceId)),
      col((u) => u.username),
      col((u) => u.passwordHash),
      col((u) => u.role),
      col((u) => (u.areaId === null ? null : String(u.areaId))),
      col((u) => String(u.active)),
      col((u) => u.totpSecret),
      col((u) => String(u.totpEnabled)),
      col((u) => u.createdAt),
      ctx.runId,
      ctx.actor,
    ] as never,
  );
}

/** Statements run after the accounts exist, in order. */
function loadSteps(ctx: LoadContext): Array<[string, string]> {
  const actor = ctx.actor.replace(/'/g, "''");
  const run = ctx.runId.replace(/'/g, "''");
  return [
    [
      'bills',
      `WITH ins AS (
         INSERT INTO bills (bill_no, destination, vehicle_no, description, capacity, status, finalized, created_by, created_at, updated_at, finalized_at)
         SELECT f.bill_no, '—', '—', f.description, f.capacity, f.status, f.finalized, u.target_id, f.created_at, f.updated_at,
           CASE WHEN f.finalized THEN f.updated_at END
         FROM f_bill f LEFT JOIN t_user u ON u.source_id = f.created_by_id WHERE NOT f.existing
         ON CONFLICT (bill_no) DO NOTHING RETURNING id, bill_no, capacity, finalized
       ),
       mapped AS (SELECT f.source_id, i.* FROM ins i JOIN f_bill f ON f.bill_no = i.bill_no),
       ids AS (INSERT INTO import_id_map (source, entity, source_id, target_key, run_id) SELECT '${SOURCE}', 'bill', source_id, bill_no, '${run}' FROM mapped),
       audit AS (
         INSERT INTO audit_log (actor_username, action, entity_type, entity_id, after, event_id)
         SELECT '${actor}', 'bill.import', 'bill', bill_no, jsonb_build_object('billNo', bill_no, 'capacity', capacity, 'finalized', finalized, 'traitortrackId', source_id),
           'tt-import-bill-' || source_id FROM mapped ON CONFLICT (event_id) DO NOTHING
       )
       SELECT count(*) FROM mapped`,
    ],
    ['bill ids', `ALTER TABLE t_bill ADD COLUMN target_id int; UPDATE t_bill t SET target_id = b.id FROM bills b WHERE b.bill_no = t.bill_no`],
    [
      'bags',
      `INSERT INTO bags (qr, type, area_id, status, child_count, created_by, created_at, updated_at, completed_at, version)
       SELECT f.qr, f.type, f.area_id, f.status, f.child_count, u.target_id, f.created_at, f.updated_at, f.completed_at, f.child_count
       FROM f_bag f LEFT JOIN t_user u ON u.source_id = f.user_source_id WHERE NOT f.existing
       ON CONFLICT (qr) DO NOTHING`,
    ],
    [
      'link users',
      `CREATE TEMP TABLE t_link_load ON COMMIT DROP AS
       SELECT l.c_qr, l.p_qr, l.at, l.event_id, u.target_id AS linked_by
       FROM f_link l LEFT JOIN t_link_user lu ON lu.p_id = l.p_id AND lu.c_id = l.c_id
       LEFT JOIN f_bag c ON c.id = l.c_id LEFT JOIN t_user u ON u.source_id = coalesce(lu.u_id, c.user_source_id)`,
    ],
    [
      'links',
      `INSERT INTO links (child_qr, parent_qr, linked_at, linked_by, event_id) SELECT c_qr, p_qr, at, linked_by, event_id FROM t_link_load ON CONFLICT (child_qr) DO NOTHING`,
    ],
    [
      'link events',
      `INSERT INTO link_events (event_id, kind, child_qr, parent_qr, at, user_id, reason) SELECT event_id, 'link', c_qr, p_qr, at, linked_by, NULL FROM t_link_load
       ON CONFLICT (event_id) DO NOTHING`,
    ],
    [
      'scans',
      `INSERT INTO scans (scan_id, parent_qr, child_qr, user_id, area_id, result, error_code, created_at)
       SELECT s.scan_id, s.p_qr, s.c_qr, u.target_id, s.area_id, s.result, NULL, s.at FROM f_scan s LEFT JOIN t_user u ON u.source_id = s.u_id
       ON CONFLICT (scan_id) DO NOTHING`,
    ],
    [
      'bill bags',
      `INSERT INTO bill_bags (bag_qr, bill_id, added_at, added_by)
       SELECT bb.qr, tb.target_id, coalesce(bb.created_at, fb.created_at), u.target_id
       FROM f_bill_bag bb JOIN t_bill tb ON tb.source_id = bb.bill_source_id JOIN f_bill fb ON fb.source_id = bb.bill_source_id
       LEFT JOIN t_user u ON u.source_id = fb.created_by_id
       WHERE tb.target_id IS NOT NULL
       ON CONFLICT (bag_qr) DO NOTHING`,
    ],
    // Return tickets and their parents (returns.ts), after the bags and the bills' rows.
    ...returnLoadSteps(ctx.actor, ctx.runId),
    [
      'audit history',
      `INSERT INTO audit_log (at, actor_id, actor_username, action, entity_type, entity_id, before, after, ip, request_id, event_id)
       SELECT coalesce(a.timestamp, now()), u.target_id, u.username, 'traitortrack.' || coalesce(nullif(btrim(a.action), ''), 'unknown'),
         coalesce(nullif(btrim(a.entity_type), ''), 'unknown'), a.entity_id, a.before_state,
         (SELECT jsonb_object_agg(k, v) FROM (VALUES ('state', a.after_state), ('details', to_jsonb(a.details)), ('traitortrackUserId', to_jsonb(a.user_id))) x(k, v) WHERE v IS NOT NULL),
         a.ip_address, a.request_id, 'tt-audit-' || a.id
       FROM s_audit a LEFT JOIN t_user u ON u.source_id = a.user_id
       ON CONFLICT (event_id) DO NOTHING`,
    ],
    [
      'raw rows',
      `INSERT INTO import_staging (source, source_table, source_id, row, resolved, run_id)
       SELECT '${SOURCE}', source_table, source_id, row, resolved, '${run}' FROM f_raw
       ON CONFLICT (source, source_table, source_id) DO UPDATE SET row = excluded.row, resolved = excluded.resolved, run_id = excluded.run_id, imported_at = now()`,
    ],
    // Bags TraceTrack held before that gained imported links: their counts and statuses follow.
    [
      'touched parents',
      `UPDATE bags b SET child_count = k.n, version = b.version + 1, updated_at = now(),
         status = CASE WHEN k.n >= ${ctx.parentCapacity} THEN 'completed' ELSE b.status END,
         completed_at = CASE WHEN k.n >= ${ctx.parentCapacity} THEN coalesce(b.completed_at, now()) ELSE b.completed_at END
       FROM (SELECT x.parent_qr, count(*)::int AS n FROM links x
             WHERE x.parent_qr IN (SELECT l.p_qr FROM f_link l JOIN f_bag p ON p.id = l.p_id WHERE p.existing) GROUP BY 1) k
       WHERE b.qr = k.parent_qr AND b.child_count <> k.n`,
    ],
    [
      'touched children',
      `UPDATE bags b SET status = 'linked', updated_at = now()
       WHERE b.type = 'child' AND b.status = 'unlinked' AND b.qr IN (SELECT l.c_qr FROM f_link l JOIN f_bag c ON c.id = l.c_id WHERE c.existing)
         AND EXISTS (SELECT 1 FROM links x WHERE x.child_qr = b.qr)`,
    ],
  ];
}

export async function load(tx: TransactionSql, ctx: LoadContext, progress: Progress): Promise<void> {
  await createPeople(tx, ctx);
  const indexes = ctx.bulk ? await dropSecondaryIndexes(tx, BULK_TABLES) : [];
  const keys = ctx.bulk ? await dropForeignKeys(tx, BULK_TABLES) : [];
  await runSteps(tx, 'load', loadSteps(ctx), progress);
  if (indexes.length + keys.length > 0) {
    progress.start('rebuild indexes', indexes.length + keys.length);
    for (const ix of indexes) {
      await recreateIndexes(tx, [ix]);
      progress.increment(1);
    }
    for (const key of keys) {
      await restoreForeignKeys(tx, [key]);
      progress.increment(1);
    }
    progress.stop();
  }
  progress.start('recount counters', 1);
  const recount = new PgDialect().sqlToQuery(recountQuery(ctx.timeZone));
  // Flushes running meanwhile wait at this lock: a flush either committed before (and is in the recount)
  // or adds its increments after (to the recounted values).
  await tx.unsafe('LOCK TABLE counters IN EXCLUSIVE MODE');
  await tx.unsafe('DELETE FROM counters');
  await tx.unsafe(`INSERT INTO counters (name, scope, period, value) SELECT name, scope, period, value::bigint FROM (${recount.sql}) r`, recount.params as never);
  progress.increment(1);
  progress.stop();
}
