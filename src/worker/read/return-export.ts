// Returned parents for the returns CSV (issue 13): one row per parent a ticket took off a bill, with its
// ticket, the bill it came off and its child bags at return; newest first, keyset-paged for streaming.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ReturnStatus } from '../../shared/returns';
import { cursorParts, cursorTimestamp, isoTimestamp, type KeysetList } from '../../db/list';
import { timeRange } from './params';

export interface ReturnLineRow extends Record<string, unknown> {
  sort_at: string;
  event_id: string;
  code: string;
  status: ReturnStatus;
  area_id: number | null;
  notes: string | null;
  parent_qr: string;
  bill_no: string;
  bill_finalized: boolean;
  child_count: number;
  returned_at: string;
  returned_by: string | null;
}

export interface ReturnLineFilters {
  from?: string;
  to?: string;
  status?: ReturnStatus;
  areaId?: number;
  code?: string;
}

const lineKey = z.tuple([cursorParts.timestamp, cursorParts.text]);

export function returnLinesSpec(f: ReturnLineFilters, timeZone: string): KeysetList<ReturnLineRow, z.infer<typeof lineKey>> {
  return {
    select: sql`SELECT ${cursorTimestamp(sql`p.returned_at`)} AS sort_at, p.event_id, t.code, t.status, t.area_id, t.notes, p.bag_qr AS parent_qr,
        p.bill_no, p.bill_finalized, p.child_count, ${isoTimestamp(sql`p.returned_at`)} AS returned_at, u.username AS returned_by
      FROM return_ticket_parents p JOIN return_tickets t ON t.id = p.ticket_id LEFT JOIN users u ON u.id = p.returned_by`,
    filters: [
      ...timeRange(sql`p.returned_at`, f.from, f.to, timeZone),
      f.status ? sql`t.status = ${f.status}` : undefined,
      f.areaId === undefined ? undefined : sql`t.area_id = ${f.areaId}`,
      f.code ? sql`t.code = ${f.code}` : undefined,
    ],
    order: [sql`p.returned_at`, sql`p.event_id`],
    direction: 'desc',
    cursorSchema: lineKey,
    keyOf: (r) => [r.sort_at, r.event_id],
    keyCasts: ['timestamptz', 'text'],
  };
}
