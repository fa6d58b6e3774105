// Return tickets as Postgres holds them (issue 13): re-deriving a ticket object whose storage is empty, and
// the ticket list. Live reads of one ticket come from its ReturnTicket object.
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ReturnStatus } from '../shared/returns';
import type { Db, Row } from './client';
import { cursorParts, cursorTimestamp, isoTimestamp, listPage, type KeysetList, type Page } from './list';
import { bags, returnTicketParents, returnTickets, users } from './schema';
import type { ReturnListItem } from '../shared/api';
export type { ReturnListItem } from '../shared/api';

export interface StoredReturnTicket {
  code: string;
  areaId: number | null;
  notes: string | null;
  status: ReturnStatus;
  createdAt: string;
  createdById: number | null;
  createdByName: string | null;
  closedAt: string | null;
  closedById: number | null;
  closedByName: string | null;
  parents: Array<{
    qr: string;
    billNo: string;
    billFinalized: boolean;
    childCount: number;
    areaId: number | null;
    returnedAt: string;
    byId: number | null;
    byName: string | null;
  }>;
}

export async function loadReturnTicket(db: Db, code: string): Promise<StoredReturnTicket | null> {
  const [ticket] = await db
    .select({
      id: returnTickets.id,
      code: returnTickets.code,
      areaId: returnTickets.areaId,
      notes: returnTickets.notes,
      status: returnTickets.status,
      createdAt: returnTickets.createdAt,
      createdById: returnTickets.createdBy,
      createdByName: users.username,
      closedAt: returnTickets.closedAt,
      closedById: returnTickets.closedBy,
      closedByName: sql<string | null>`(SELECT c.username FROM users c WHERE c.id = ${returnTickets.closedBy})`,
    })
    .from(returnTickets)
    .leftJoin(users, eq(users.id, returnTickets.createdBy))
    .where(eq(returnTickets.code, code))
    .limit(1);
  if (!ticket) return null;
  const parents = await db
    .select({
      qr: returnTicketParents.bagQr,
      billNo: returnTicketParents.billNo,
      billFinalized: returnTicketParents.billFinalized,
      childCount: returnTicketParents.childCount,
      areaId: bags.areaId,
      returnedAt: returnTicketParents.returnedAt,
      byId: returnTicketParents.returnedBy,
      byName: users.username,
    })
    .from(returnTicketParents)
    .innerJoin(bags, eq(bags.qr, returnTicketParents.bagQr))
    .leftJoin(users, eq(users.id, returnTicketParents.returnedBy))
    .where(eq(returnTicketParents.ticketId, ticket.id))
    .orderBy(asc(returnTicketParents.returnedAt));
  const { id: _id, ...rest } = ticket;
  return { ...rest, parents };
}

// ---- The list (GET /api/returns), newest first by (created_at, id).


export interface ReturnListFilters {
  status?: ReturnStatus;
  areaId?: number;
  q?: string;
}

interface ReturnRow extends Row {
  id: number;
  sort_at: string;
  code: string;
  area_id: number | null;
  notes: string | null;
  status: ReturnStatus;
  parent_count: number;
  child_count: number;
  created_at: string;
  created_by: string | null;
  closed_at: string | null;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function returnListSpec(filters: ReturnListFilters): KeysetList<ReturnRow, [string, number]> {
  const pattern = filters.q ? `%${likeEscape(filters.q)}%` : null;
  return {
    select: sql`SELECT t.id, ${cursorTimestamp(sql`t.created_at`)} AS sort_at, t.code, t.area_id, t.notes, t.status, t.parent_count, t.child_count,
        ${isoTimestamp(sql`t.created_at`)} AS created_at, u.username AS created_by, ${isoTimestamp(sql`t.closed_at`)} AS closed_at
      FROM return_tickets t LEFT JOIN users u ON u.id = t.created_by`,
    filters: [
      filters.status ? sql`t.status = ${filters.status}` : undefined,
      filters.areaId === undefined ? undefined : sql`t.area_id = ${filters.areaId}`,
      pattern
        ? sql`(t.code ILIKE ${pattern} OR t.notes ILIKE ${pattern} OR EXISTS (SELECT 1 FROM return_ticket_parents p WHERE p.ticket_id = t.id AND (p.bag_qr ILIKE ${pattern} OR p.bill_no ILIKE ${pattern})))`
        : undefined,
    ],
    order: [sql`t.created_at`, sql`t.id`],
    direction: 'desc',
    cursorSchema: z.tuple([cursorParts.timestamp, cursorParts.id]),
    keyOf: (row) => [row.sort_at, Number(row.id)],
    keyCasts: ['timestamptz', 'int4'],
  };
}

export function returnItem(row: ReturnRow): ReturnListItem {
  const childCount = Number(row.child_count);
  return {
    code: row.code,
    areaId: row.area_id === null ? null : Number(row.area_id),
    notes: row.notes,
    status: row.status,
    parentCount: Number(row.parent_count),
    childCount,
    weightKg: childCount,
    createdAt: row.created_at,
    createdBy: row.created_by,
    closedAt: row.closed_at,
  };
}

export function listReturns(db: Db, filters: ReturnListFilters, page: { limit: number; cursor?: string }): Promise<Page<ReturnListItem>> {
  return listPage(db, returnListSpec(filters), page, returnItem);
}
