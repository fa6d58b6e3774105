// Bills as Postgres holds them: re-deriving a bill object whose storage is empty (imported bills, a lost
// object) and the bill list. Live reads of one bill come from its BillSession object, not from here.
import { and, asc, desc, eq, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { BillStatus } from '../../shared/types';
import type { Db } from './client';
import { bags, billBags, bills, users } from './schema';

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
  parents: Array<{ qr: string; addedAt: string; byId: number | null; byName: string | null; childCount: number }>;
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
    })
    .from(bills)
    .leftJoin(users, eq(users.id, bills.createdBy))
    .where(eq(bills.billNo, billNo))
    .limit(1);
  if (!bill) return null;
  const parents = await db
    .select({ qr: billBags.bagQr, addedAt: billBags.addedAt, byId: billBags.addedBy, byName: users.username, childCount: bags.childCount })
    .from(billBags)
    .innerJoin(bags, eq(bags.qr, billBags.bagQr))
    .leftJoin(users, eq(users.id, billBags.addedBy))
    .where(eq(billBags.billId, bill.id))
    .orderBy(asc(billBags.addedAt));
  const { id: _id, ...rest } = bill;
  return { ...rest, parents };
}

// ---- The list (GET /api/bills). A small keyset query of its own: the shared list helper (db/list.ts) is
// built in parallel; this can move onto it when both are merged.

export interface BillListItem {
  billNo: string;
  destination: string;
  vehicleNo: string;
  description: string | null;
  capacity: number;
  status: BillStatus;
  finalized: boolean;
  parentCount: number;
  createdAt: string;
  createdBy: string | null;
  finalizedAt: string | null;
}

export interface BillListQuery {
  status?: BillStatus;
  finalized?: boolean;
  q?: string;
  limit: number;
  /** Keyset position: the (createdAt, id) of the last row of the previous page. */
  after?: { createdAt: string; id: number };
}

/** `%` and `_` typed by a user are literal characters, not wildcards. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listBills(db: Db, query: BillListQuery): Promise<{ items: BillListItem[]; last: { createdAt: string; id: number } | null }> {
  const where: SQL[] = [];
  if (query.status) where.push(eq(bills.status, query.status));
  if (query.finalized !== undefined) where.push(eq(bills.finalized, query.finalized));
  if (query.q) {
    const pattern = `%${likeEscape(query.q)}%`;
    where.push(or(ilike(bills.billNo, pattern), ilike(bills.destination, pattern), ilike(bills.vehicleNo, pattern)) as SQL);
  }
  if (query.after) {
    const { createdAt, id } = query.after;
    where.push(
      or(lt(bills.createdAt, createdAt), and(eq(bills.createdAt, createdAt), lt(bills.id, id))) as SQL,
    );
  }
  const rows = await db
    .select({
      id: bills.id,
      billNo: bills.billNo,
      destination: bills.destination,
      vehicleNo: bills.vehicleNo,
      description: bills.description,
      capacity: bills.capacity,
      status: bills.status,
      finalized: bills.finalized,
      parentCount: sql<number>`(SELECT count(*)::int FROM bill_bags bb WHERE bb.bill_id = ${bills.id})`,
      createdAt: bills.createdAt,
      createdBy: users.username,
      finalizedAt: bills.finalizedAt,
    })
    .from(bills)
    .leftJoin(users, eq(users.id, bills.createdBy))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(bills.createdAt), desc(bills.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  const lastRow = page[page.length - 1];
  return {
    items: page.map(({ id: _id, ...item }) => ({ ...item, parentCount: Number(item.parentCount) })),
    last: more && lastRow ? { createdAt: lastRow.createdAt, id: lastRow.id } : null,
  };
}
