// Writes a BillSession's outbox to Postgres as one atomic unit, idempotently:
//  - the bills row is upserted from the bill's newest snapshot (one object writes it, in order, so the
//    newest snapshot is always the truth);
//  - every event (create, add, remove, finalize, reopen) inserts its audit row keyed by the event id, and an
//    add/remove changes bill_bags only when that audit row was newly inserted: a replayed batch changes
//    nothing twice, and an old add replayed after a remove cannot bring the parent back.
//  - bill_bags is keyed by bag: when a parent moves from bill A to bill B, the two bills flush
//    independently, so an add only replaces an older add (added_at is the parent's claim time, taken in
//    the parent's own object, which is what orders the two), and a remove deletes only its own bill's row.
// A parent bag not yet in Postgres (its own flush is still on the way) fails the foreign key: the whole unit
// rolls back and the bill retries with backoff until the parent has landed.
import { sql, type SQL } from 'drizzle-orm';
import { auditStatement, type AuditMeta } from './audit';
import { runAtomicRows, type Db } from './client';
import { COUNTER, countedCte, DEFAULT_TIME_ZONE } from './counter-sql';
import { collectConflicts } from './flush';
import type { FlushResult } from './flush-types';
import { arrayParam } from './sql-arrays';
import type { BillStatus } from '../shared/types';

export interface BillSnapshot {
  billNo: string;
  destination: string;
  vehicleNo: string;
  description: string | null;
  capacity: number;
  status: BillStatus;
  finalized: boolean;
  finalizedAt: string | null;
  createdBy: number | null;
  createdAt: string;
  /** The measured weight (issue 9), null until weighed. Optional so snapshots queued before it still flush. */
  actualWeightKg?: number | null;
  weightSource?: 'manual' | 'weighbridge' | null;
  weighedAt?: string | null;
  weighedBy?: number | null;
}

export type BillEventKind = 'create' | 'add' | 'remove' | 'finalize' | 'reopen' | 'weigh' | 'return';

export interface BillFlushEvent {
  eventId: string;
  kind: BillEventKind;
  billNo: string;
  at: string;
  parentQr: string | null;
  /** For add: the parent's claim time (orders moves between bills); else equal to `at`. */
  addedAt: string | null;
  actor: AuditMeta;
  before: unknown;
  after: unknown;
}

/**
 * Upserts the bills row and keeps the dashboard's bill counters with it (COUNTER in counter-sql.ts):
 * `bills` +1 when the row is first inserted, `bills_completed` ±1 when the status enters or leaves
 * 'completed'. `prev` reads the row as it was before this statement (all parts of one statement share a
 * snapshot), so a replayed snapshot changes no counter.
 */
export function billSnapshotStatement(b: BillSnapshot, timeZone: string = DEFAULT_TIME_ZONE): SQL {
  return sql`WITH prev AS (
  SELECT status FROM bills WHERE bill_no = ${b.billNo}
),
up AS (
  INSERT INTO bills AS b (bill_no, destination, vehicle_no, description, capacity, status, finalized, finalized_at, created_by, created_at, updated_at,
      actual_weight_kg, weight_source, weighed_at, weighed_by)
    VALUES (${b.billNo}, ${b.destination}, ${b.vehicleNo}, ${b.description}, ${b.capacity}, ${b.status}, ${b.finalized},
            ${b.finalizedAt}::timestamptz, ${b.createdBy}, ${b.createdAt}::timestamptz, now(),
            ${b.actualWeightKg ?? null}::numeric, ${b.weightSource ?? null}, ${b.weighedAt ?? null}::timestamptz,
            (SELECT id FROM users WHERE id = ${b.weighedBy ?? null}::int))
    ON CONFLICT (bill_no) DO UPDATE SET
      destination = excluded.destination, vehicle_no = excluded.vehicle_no, description = excluded.description,
      capacity = excluded.capacity, status = excluded.status, finalized = excluded.finalized,
      finalized_at = excluded.finalized_at, actual_weight_kg = excluded.actual_weight_kg, weight_source = excluded.weight_source,
      weighed_at = excluded.weighed_at, weighed_by = excluded.weighed_by, updated_at = now()
    RETURNING (xmax = 0) AS inserted, status, created_at
),
deltas AS (
  SELECT ${COUNTER.bills}::text AS name, NULL::int AS area_id, created_at AS ts, 1 AS d, 1 AS lvl FROM up WHERE inserted
  UNION ALL
  SELECT ${COUNTER.billsCompleted}::text, NULL::int, up.created_at, CASE WHEN up.status = 'completed' THEN 1 ELSE -1 END, 0
  FROM up LEFT JOIN prev ON true
  WHERE (up.status = 'completed') <> (coalesce(prev.status, '') = 'completed')
),
${countedCte(timeZone)}
SELECT count(*)::int AS bills_inserted FROM up WHERE inserted`;
}

const ACTIONS: Record<BillEventKind, string> = {
  create: 'bill.create',
  add: 'bill.add_parent',
  remove: 'bill.remove_parent',
  finalize: 'bill.finalize',
  reopen: 'bill.reopen',
  weigh: 'bill.weigh',
  return: 'bill.parent_returned',
};

/**
 * An event id Postgres already holds for a different audit row is not applied (the audit insert does nothing,
 * so neither does the bill_bags change) but recorded in flush_conflicts, never dropped silently.
 */
function reusedIdCte(e: BillFlushEvent): SQL {
  const refused = sql`jsonb_build_object('action', ${ACTIONS[e.kind]}::text, 'entityId', ${e.billNo}::text, 'at', ${e.at}::timestamptz)`;
  const stored = sql`jsonb_build_object('action', a.action, 'entityId', a.entity_id, 'at', a.at)`;
  return sql`clash AS (
  INSERT INTO flush_conflicts (event_id, kind, parent_qr, detail, refused_hash)
  SELECT a.event_id, 'event_id_reused', ${e.parentQr}::text,
    jsonb_build_object('table', 'audit_log', 'billNo', ${e.billNo}::text, 'stored', ${stored}, 'refused', ${refused}), md5('audit_log' || ${refused}::text)
  FROM audit_log a
  WHERE a.event_id = ${e.eventId} AND NOT EXISTS (SELECT 1 FROM ev) AND ${stored} <> ${refused}
  ON CONFLICT (event_id, kind, refused_hash) DO NOTHING
  RETURNING 1
)`;
}

export function billEventStatement(e: BillFlushEvent): SQL {
  const audit = auditStatement(e.actor, {
    action: ACTIONS[e.kind],
    entityType: 'bill',
    entityId: e.billNo,
    before: e.before,
    after: e.after,
    eventId: e.eventId,
    at: e.at,
  });
  const head = sql`WITH ev AS (${audit} RETURNING 1), ${reusedIdCte(e)}`;
  if (e.kind === 'add' && e.parentQr) {
    return sql`${head}
      INSERT INTO bill_bags AS bb (bag_qr, bill_id, added_at, added_by)
      SELECT ${e.parentQr}, b.id, ${e.addedAt ?? e.at}::timestamptz, ${e.actor.actorId}
      FROM bills b WHERE b.bill_no = ${e.billNo} AND EXISTS (SELECT 1 FROM ev)
      ON CONFLICT (bag_qr) DO UPDATE SET bill_id = excluded.bill_id, added_at = excluded.added_at, added_by = excluded.added_by
      WHERE bb.added_at <= excluded.added_at`;
  }
  if (e.kind === 'remove' && e.parentQr) {
    return sql`${head}
      DELETE FROM bill_bags bb USING bills b
      WHERE bb.bag_qr = ${e.parentQr} AND bb.bill_id = b.id AND b.bill_no = ${e.billNo} AND EXISTS (SELECT 1 FROM ev)`;
  }
  if (e.kind === 'return' && e.parentQr) {
    // Taken off by a return ticket (issue 13): this bill's row only, and only one added before the return (a
    // later add to this bill, after the return, stays). The ticket's own flush does the same delete.
    return sql`${head}
      DELETE FROM bill_bags bb USING bills b
      WHERE bb.bag_qr = ${e.parentQr} AND bb.bill_id = b.id AND b.bill_no = ${e.billNo}
        AND bb.added_at <= ${e.addedAt ?? e.at}::timestamptz AND EXISTS (SELECT 1 FROM ev)`;
  }
  return sql`${head} SELECT count(*)::int AS audited FROM ev`;
}

/** The event-id conflicts recorded for these events (now or by an earlier run), read last in the unit. */
function billConflictsStatement(events: readonly BillFlushEvent[]): SQL {
  return sql`SELECT event_id, kind, child_qr, parent_qr, existing_parent_qr, detail, refused_hash FROM flush_conflicts
    WHERE event_id = ANY(${arrayParam(events.map((e) => e.eventId), 'text[]')}) AND kind = 'event_id_reused' AND detail->>'table' = 'audit_log'`;
}

export function buildBillFlushStatements(snapshot: BillSnapshot, events: readonly BillFlushEvent[], timeZone?: string): SQL[] {
  return [billSnapshotStatement(snapshot, timeZone), ...events.map(billEventStatement), ...(events.length ? [billConflictsStatement(events)] : [])];
}

export async function flushBill(db: Db, snapshot: BillSnapshot, events: readonly BillFlushEvent[], timeZone?: string): Promise<FlushResult> {
  return { conflicts: collectConflicts([await runAtomicRows(db, buildBillFlushStatements(snapshot, events, timeZone))]) };
}
