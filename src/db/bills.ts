// Bills as Postgres holds them: re-deriving a bill object whose storage is empty (imported bills, a lost
// object) and the bill list. Live reads of one bill come from its BillSession object, not from here.
import { asc, eq, sql } from 'drizzle-orm';
import type { BillStatus } from '../shared/types';
import { z } from 'zod';
import type { Db, Row } from './client';
import { cursorParts, cursorTimestamp, isoTimestamp, listPage, type KeysetList, type Page } from './list';
import { bags, billBags, bills, returnTicketParents, returnTickets, users } from './schema';
import type { BillListItem } from '../shared/api';
export type { BillListItem } from '../shared/api';

export interface StoredBill {
  billNo: string;
  destination: string;
  vehicleNo: string;
  description: string | null;
  capacity: number;
  finalized: boolean;
  finalizedAt: string | null;
  createdAt: string;
  createdById: number | null;
  createdByName: string | null;
  actualWeightKg: number | null;
  weightSource: 'manual' | 'weighbridge' | null;
  weighedAt: string | null;
  weighedById: number | null;
  weighedByName: string | null;
  parents: Array<{
    qr: string;
    addedAt: string;
    byId: number | null;
    byName: string | null;
    childCount: number;
    status: 'open' | 'completed';
    areaId: number | null;
  }>;
  /** Parents return tickets took off the bill (issue 13), oldest first. */
  returned: Array<{ qr: string; ticketCode: string; childCount: number; returnedAt: string; byId: number | null; byName: string | null }>;
}

export async function loadBill(db: Db, billNo: string): Promise<StoredBill | null> {
  const [bill] = await db
    .select({
      id: bills.id,
      billNo: bills.billNo,
      destination: bills.destination,
      vehicleNo: bills.vehicleNo,
      description: bills.description,
      capacity: bills.capacity,
      finalized: bills.finalized,
      finalizedAt: bills.finalizedAt,
      createdAt: bills.createdAt,
      createdById: bills.createdBy,
      createdByName: users.username,
      actualWeightKg: bills.actualWeightKg,
      weightSource: bills.weightSource,
      weighedAt: bills.weighedAt,
      weighedById: bills.weighedBy,
      weighedByName: sql<string | null>`(SELECT w.username FROM users w WHERE w.id = ${bills.weighedBy})`,
    })
    .from(bills)
    .leftJoin(users, eq(users.id, bills.createdBy))
    .where(eq(bills.billNo, billNo))
    .limit(1);
  if (!bill) return null;
  const parents = await db
    .select({
      qr: billBags.bagQr,
      addedAt: billBags.addedAt,
      byId: billBags.addedBy,
      byName: users.username,
      childCount: bags.childCount,
      // A parent bag's status is open or completed (the check constraint on bags).
      status: sql<'open' | 'completed'>`${bags.status}`,
      areaId: bags.areaId,
    })
    .from(billBags)
    .innerJoin(bags, eq(bags.qr, billBags.bagQr))
    .leftJoin(users, eq(users.id, billBags.addedBy))
    .where(eq(billBags.billId, bill.id))
    .orderBy(asc(billBags.addedAt));
  const returned = await db
    .select({
      qr: returnTicketParents.bagQr,
      ticketCode: returnTickets.code,
      childCount: returnTicketParents.childCount,
      returnedAt: returnTicketParents.returnedAt,
      byId: returnTicketParents.returnedBy,
      byName: users.username,
    })
    .from(returnTicketParents)
    .innerJoin(returnTickets, eq(returnTickets.id, returnTicketParents.ticketId))
    .leftJoin(users, eq(users.id, returnTicketParents.returnedBy))
    .where(eq(returnTicketParents.billNo, billNo))
    .orderBy(asc(returnTicketParents.returnedAt));
  const { id: _id, ...rest } = bill;
  return { ...rest, actualWeightKg: rest.actualWeightKg === null ? null : Number(rest.actualWeightKg), parents, returned };
}

// ---- The list (GET /api/bills), on the shared keyset list helper (db/list.ts): newest first by
// (created_at, id), served by bills_created_id_idx.


export interface BillListFilters {
  status?: BillStatus;
  finalized?: boolean;
  q?: string;
}

interface BillRow extends Row {
  id: number;
  sort_at: string;
  bill_no: string;
  destination: string;
  vehicle_no: string;
  description: string | null;
  capacity: number;
  status: BillStatus;
  finalized: boolean;
  parent_count: number;
  child_count: number;
  created_at: string;
  created_by: string | null;
  finalized_at: string | null;
}

/** `%` and `_` typed by a user are literal characters, not wildcards (backslash is ILIKE's escape). */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function billListSpec(filters: BillListFilters): KeysetList<BillRow, [string, number]> {
  const pattern = filters.q ? `%${likeEscape(filters.q)}%` : null;
  return {
    select: sql`SELECT b.id, ${cursorTimestamp(sql`b.created_at`)} AS sort_at, b.bill_no, b.destination, b.vehicle_no, b.description,
        b.capacity, b.status, b.finalized, t.parent_count, t.child_count,
        ${isoTimestamp(sql`b.created_at`)} AS created_at, u.username AS created_by, ${isoTimestamp(sql`b.finalized_at`)} AS finalized_at
      FROM bills b LEFT JOIN users u ON u.id = b.created_by
      CROSS JOIN LATERAL (SELECT count(*)::int AS parent_count, coalesce(sum(p.child_count), 0)::int AS child_count
        FROM bill_bags bb JOIN bags p ON p.qr = bb.bag_qr WHERE bb.bill_id = b.id) t`,
    filters: [
      filters.status ? sql`b.status = ${filters.status}` : undefined,
      filters.finalized === undefined ? undefined : sql`b.finalized = ${filters.finalized}`,
      pattern ? sql`(b.bill_no ILIKE ${pattern} OR b.destination ILIKE ${pattern} OR b.vehicle_no ILIKE ${pattern})` : undefined,
    ],
    order: [sql`b.created_at`, sql`b.id`],
    direction: 'desc',
    cursorSchema: z.tuple([cursorParts.timestamp, cursorParts.id]),
    keyOf: (row) => [row.sort_at, Number(row.id)],
    keyCasts: ['timestamptz', 'int4'],
  };
}

export function billItem(row: BillRow): BillListItem {
  return {
    billNo: row.bill_no,
    destination: row.destination,
    vehicleNo: row.vehicle_no,
    description: row.description,
    capacity: Number(row.capacity),
    status: row.status,
    finalized: Boolean(row.finalized),
    parentCount: Number(row.parent_count),
    /** Child bags in the bill's parents as Postgres holds them (the bill itself counts them live). */
    childCount: Number(row.child_count),
    createdAt: row.created_at,
    createdBy: row.created_by,
    finalizedAt: row.finalized_at,
  };
}

export function listBills(db: Db, filters: BillListFilters, page: { limit: number; cursor?: string }): Promise<Page<BillListItem>> {
  return listPage(db, billListSpec(filters), page, billItem);
}
