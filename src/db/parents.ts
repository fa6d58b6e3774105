// Re-deriving a parent's session from Postgres, for a ParentSession whose own storage is empty although
// the registry knows the parent (after a registry rebuild, an import, or the loss of an object's storage).
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from './client';
import { bags, billBags, bills, links, returnTicketParents, returnTickets, users } from './schema';

export interface StoredParent {
  qr: string;
  areaId: number | null;
  status: 'open' | 'completed';
  createdBy: number | null;
  createdAt: string;
  completedAt: string | null;
  version: number;
  children: Array<{ qr: string; linkedAt: string; byId: number | null; byName: string | null; eventId: string }>;
  /** The bill the parent is on, so a parent on a finalized bill stays frozen when re-derived. */
  bill: { billNo: string; finalized: boolean } | null;
  /** The newest return of the parent (issue 13); it counts only while the parent is on no bill. */
  returned: { ticketCode: string; at: string; billNo: string; billFinalized: boolean; childCount: number } | null;
}

export async function loadParent(db: Db, qr: string): Promise<StoredParent | null> {
  const [bag] = await db
    .select()
    .from(bags)
    .where(and(eq(bags.qr, qr), eq(bags.type, 'parent')))
    .limit(1);
  if (!bag) return null;
  const children = await db
    .select({ qr: links.childQr, linkedAt: links.linkedAt, byId: links.linkedBy, byName: users.username, eventId: links.eventId })
    .from(links)
    .leftJoin(users, eq(users.id, links.linkedBy))
    .where(eq(links.parentQr, qr))
    .orderBy(asc(links.linkedAt));
  const [bill] = await db
    .select({ billNo: bills.billNo, finalized: bills.finalized })
    .from(billBags)
    .innerJoin(bills, eq(bills.id, billBags.billId))
    .where(eq(billBags.bagQr, qr))
    .limit(1);
  const [returned] = bill
    ? []
    : await db
        .select({
          ticketCode: returnTickets.code,
          at: returnTicketParents.returnedAt,
          billNo: returnTicketParents.billNo,
          billFinalized: returnTicketParents.billFinalized,
          childCount: returnTicketParents.childCount,
        })
        .from(returnTicketParents)
        .innerJoin(returnTickets, eq(returnTickets.id, returnTicketParents.ticketId))
        .where(eq(returnTicketParents.bagQr, qr))
        .orderBy(desc(returnTicketParents.returnedAt))
        .limit(1);
  return {
    qr: bag.qr,
    areaId: bag.areaId,
    status: bag.status === 'completed' ? 'completed' : 'open',
    createdBy: bag.createdBy,
    createdAt: bag.createdAt,
    completedAt: bag.completedAt,
    version: bag.version,
    children,
    bill: bill ?? null,
    returned: returned ?? null,
  };
}

/** The labels of `$1`'s open parents without a child bag, at most `$2`: raw text, so a PgReader object can run it too. */
export const EMPTY_OPEN_PARENTS_SQL = `SELECT qr FROM bags
  WHERE created_by = $1 AND type = 'parent' AND status = 'open' AND child_count = 0
  LIMIT $2`;

/**
 * The labels of the open parents without a child bag that `userId` created, at most `upTo` of them: what
 * the EmptyParentLedger object starts from and re-reads near the cap (EMPTY_PARENTS_PER_USER). Uses the
 * partial index bags_empty_open_parents_idx; never on the path of an open that is below the cap.
 */
export async function emptyOpenParentQrs(db: Db, userId: number, upTo: number): Promise<string[]> {
  const rows = await queryRows<{ qr: string }>(
    db,
    sql`SELECT qr FROM bags
      WHERE created_by = ${userId} AND type = 'parent' AND status = 'open' AND child_count = 0
      LIMIT ${upTo}`,
  );
  return rows.map((r) => r.qr);
}

/** What still depends on a parent in Postgres (none of these: it may be deleted). */
export interface ParentDependents {
  /** A bag row of this QR that is not an empty parent (a child bag, or a parent with children counted). */
  notEmpty: boolean;
  /** Links, link events or scans naming it as parent: it held a child once, or was scanned into. */
  history: boolean;
  /** On a bill, or returned from one. */
  billed: boolean;
}

export interface DeletedParent extends ParentDependents {
  /** Whether Postgres had the bag row (false: it never reached Postgres; the audit row is written anyway). */
  deleted: boolean;
}

/**
 * Deletes an empty parent that nothing depends on, with its `parent.delete` audit row, in one statement (so
 * one atomic unit on every driver): the checks, the DELETE and the audit INSERT see one snapshot, and when
 * any check fails nothing is written. The audit row's event id names the label's life (`createdAt`), so a
 * repeated call (the parent's object finishing a deletion after a crash) writes it once.
 */
export async function deleteEmptyParent(
  db: Db,
  qr: string,
  facts: { areaId: number; createdBy: number; createdAt: string },
  meta: { actorId: number; actorUsername: string; requestId: string | null },
): Promise<DeletedParent> {
  const eventId = `delete:${qr}:${Date.parse(facts.createdAt)}`;
  const [row] = await queryRows<{ not_empty: boolean; history: boolean; billed: boolean; deleted: number }>(
    db,
    sql`WITH checks AS (
  SELECT
    EXISTS (SELECT 1 FROM bags WHERE qr = ${qr} AND (type <> 'parent' OR child_count > 0)) AS not_empty,
    EXISTS (SELECT 1 FROM links WHERE parent_qr = ${qr})
      OR EXISTS (SELECT 1 FROM link_events WHERE parent_qr = ${qr})
      OR EXISTS (SELECT 1 FROM scans WHERE parent_qr = ${qr}) AS history,
    EXISTS (SELECT 1 FROM bill_bags WHERE bag_qr = ${qr})
      OR EXISTS (SELECT 1 FROM return_ticket_parents WHERE bag_qr = ${qr}) AS billed
),
free AS (SELECT 1 FROM checks WHERE NOT not_empty AND NOT history AND NOT billed),
gone AS (
  DELETE FROM bags WHERE qr = ${qr} AND type = 'parent' AND EXISTS (SELECT 1 FROM free)
  RETURNING qr
),
audit AS (
  INSERT INTO audit_log (at, actor_id, actor_username, action, entity_type, entity_id, before, after, request_id, event_id)
  SELECT now(), ${meta.actorId}::int, ${meta.actorUsername}::text, 'parent.delete', 'bag', ${qr}::text,
    jsonb_build_object('type', 'parent', 'areaId', ${facts.areaId}::int, 'createdBy', ${facts.createdBy}::int,
      'createdAt', ${facts.createdAt}::text, 'inPostgres', (SELECT count(*) FROM gone) > 0),
    NULL, ${meta.requestId}::text, ${eventId}::text
  FROM free
  ON CONFLICT (event_id) DO NOTHING
)
SELECT not_empty, history, billed, (SELECT count(*) FROM gone)::int AS deleted FROM checks`,
  );
  return { notEmpty: Boolean(row?.not_empty), history: Boolean(row?.history), billed: Boolean(row?.billed), deleted: Number(row?.deleted ?? 0) > 0 };
}
