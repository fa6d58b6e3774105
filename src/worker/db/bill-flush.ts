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
import { auditStatement, type AuditMeta } from '../audit/record';
import { runAtomic, type Db } from './client';
import type { BillStatus } from '../../shared/types';

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
}

export type BillEventKind = 'create' | 'add' | 'remove' | 'finalize' | 'reopen';

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

export function billSnapshotStatement(b: BillSnapshot): SQL {
  return sql`INSERT INTO bills AS b (bill_no, destination, vehicle_no, description, capacity, status, finalized, finalized_at, created_by, created_at, updated_at)
    VALUES (${b.billNo}, ${b.destination}, ${b.vehicleNo}, ${b.description}, ${b.capacity}, ${b.status}, ${b.finalized},
            ${b.finalizedAt}::timestamptz, ${b.createdBy}, ${b.createdAt}::timestamptz, now())
    ON CONFLICT (bill_no) DO UPDATE SET
      destination = excluded.destination, vehicle_no = excluded.vehicle_no, description = excluded.description,
      capacity = excluded.capacity, status = excluded.status, finalized = excluded.finalized,
      finalized_at = excluded.finalized_at, updated_at = now()`;
}

const ACTIONS: Record<BillEventKind, string> = {
  create: 'bill.create',
  add: 'bill.add_parent',
  remove: 'bill.remove_parent',
  finalize: 'bill.finalize',
  reopen: 'bill.reopen',
};

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
  if (e.kind === 'add' && e.parentQr) {
    return sql`WITH ev AS (${audit} RETURNING 1)
      INSERT INTO bill_bags AS bb (bag_qr, bill_id, added_at, added_by)
      SELECT ${e.parentQr}, b.id, ${e.addedAt ?? e.at}::timestamptz, ${e.actor.actorId}
      FROM bills b WHERE b.bill_no = ${e.billNo} AND EXISTS (SELECT 1 FROM ev)
      ON CONFLICT (bag_qr) DO UPDATE SET bill_id = excluded.bill_id, added_at = excluded.added_at, added_by = excluded.added_by
      WHERE bb.added_at <= excluded.added_at`;
  }
  if (e.kind === 'remove' && e.parentQr) {
    return sql`WITH ev AS (${audit} RETURNING 1)
      DELETE FROM bill_bags bb USING bills b
      WHERE bb.bag_qr = ${e.parentQr} AND bb.bill_id = b.id AND b.bill_no = ${e.billNo} AND EXISTS (SELECT 1 FROM ev)`;
  }
  return audit;
}

export function buildBillFlushStatements(snapshot: BillSnapshot, events: readonly BillFlushEvent[]): SQL[] {
  return [billSnapshotStatement(snapshot), ...events.map(billEventStatement)];
}

export async function flushBill(db: Db, snapshot: BillSnapshot, events: readonly BillFlushEvent[]): Promise<void> {
  await runAtomic(db, buildBillFlushStatements(snapshot, events));
}
