// Writes a ReturnTicket's outbox to Postgres as one atomic unit, idempotently (issue 13):
//  - the return_tickets row is upserted from the ticket's current snapshot (one object writes it, in order);
//  - every event inserts its audit row keyed by its event id (scoped by the ticket code for scans, so a
//    client's scanId can never collide with another ticket's); a scan also inserts its return_ticket_parents
//    row (keyed by the same id) and deletes the parent's bill_bags row of the bill it was returned from,
//    only when that row was added before the return (a new bill's row, or a re-add after it, stays).
// Replaying a batch changes nothing twice.
import { sql, type SQL } from 'drizzle-orm';
import { auditStatement, type AuditMeta } from './audit';
import { runAtomicRows, type Db } from './client';
import type { ReturnStatus } from '../shared/returns';

export interface ReturnSnapshot {
  code: string;
  areaId: number;
  notes: string | null;
  status: ReturnStatus;
  parentCount: number;
  childCount: number;
  createdBy: number | null;
  createdAt: string;
  closedAt: string | null;
  closedBy: number | null;
}

export type ReturnEventKind = 'create' | 'scan' | 'finalize' | 'cancel';

export interface ReturnFlushEvent {
  eventId: string;
  kind: ReturnEventKind;
  code: string;
  at: string;
  /** For scans: the parent taken off its bill. */
  parent: { qr: string; billNo: string; billFinalized: boolean; childCount: number; byId: number } | null;
  actor: AuditMeta;
  before: unknown;
  after: unknown;
}

const ACTIONS: Record<ReturnEventKind, string> = {
  create: 'return.create',
  scan: 'return.scan_parent',
  finalize: 'return.finalize',
  cancel: 'return.cancel',
};

export function returnSnapshotStatement(t: ReturnSnapshot): SQL {
  return sql`INSERT INTO return_tickets AS t (code, area_id, notes, status, parent_count, child_count, created_by, created_at, closed_at, closed_by, updated_at)
    VALUES (${t.code}, (SELECT id FROM areas WHERE id = ${t.areaId}::int), ${t.notes}, ${t.status}, ${t.parentCount}, ${t.childCount},
            (SELECT id FROM users WHERE id = ${t.createdBy}::int), ${t.createdAt}::timestamptz, ${t.closedAt}::timestamptz,
            (SELECT id FROM users WHERE id = ${t.closedBy}::int), now())
    ON CONFLICT (code) DO UPDATE SET notes = excluded.notes, status = excluded.status, parent_count = excluded.parent_count,
      child_count = excluded.child_count, closed_at = excluded.closed_at, closed_by = excluded.closed_by, updated_at = now()`;
}

export function returnEventStatement(e: ReturnFlushEvent): SQL {
  const audit = auditStatement(e.actor, {
    action: ACTIONS[e.kind],
    entityType: 'return_ticket',
    entityId: e.code,
    before: e.before,
    after: e.after,
    eventId: e.eventId,
    at: e.at,
  });
  if (e.kind === 'scan' && e.parent) {
    const p = e.parent;
    return sql`WITH ev AS (${audit} RETURNING 1),
      line AS (
        INSERT INTO return_ticket_parents (ticket_id, bag_qr, bill_no, bill_finalized, child_count, returned_at, returned_by, event_id)
        SELECT t.id, ${p.qr}, ${p.billNo}, ${p.billFinalized}, ${p.childCount}, ${e.at}::timestamptz, ${p.byId || null}::int, ${e.eventId}
        FROM return_tickets t WHERE t.code = ${e.code}
        ON CONFLICT DO NOTHING
        RETURNING 1
      )
      DELETE FROM bill_bags bb USING bills b
      WHERE bb.bag_qr = ${p.qr} AND bb.bill_id = b.id AND b.bill_no = ${p.billNo} AND bb.added_at <= ${e.at}::timestamptz`;
  }
  return sql`WITH ev AS (${audit} RETURNING 1) SELECT count(*)::int AS audited FROM ev`;
}

export function buildReturnFlushStatements(snapshot: ReturnSnapshot, events: readonly ReturnFlushEvent[]): SQL[] {
  return [returnSnapshotStatement(snapshot), ...events.map(returnEventStatement)];
}

export async function flushReturn(db: Db, snapshot: ReturnSnapshot, events: readonly ReturnFlushEvent[]): Promise<void> {
  await runAtomicRows(db, buildReturnFlushStatements(snapshot, events));
}
