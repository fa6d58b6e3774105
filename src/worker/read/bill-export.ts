// A bill's contents for its CSV: one row per child bag of each parent on the bill (a parent without
// children gets one row with an empty child), then one row per parent a return ticket took off the bill
// (issue 13; its child count at return, no child rows), read from Postgres bills/bill_bags/links/returns.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '../../db/client';
import { cursorParts, isoTimestamp, type KeysetList } from '../../db/list';

export interface BillLineRow extends Record<string, unknown> {
  bill_no: string;
  destination: string;
  vehicle_no: string;
  /** 'on_bill' or 'returned'. */
  line: 'on_bill' | 'returned';
  parent_qr: string;
  parent_area_id: number | null;
  parent_child_count: number;
  added_at: string | null;
  child_qr: string | null;
  linked_at: string | null;
  returned_at: string | null;
  return_ticket: string | null;
  returned_by: string | null;
  sort_group: string;
  sort_child: string;
}

const lineKey = z.tuple([cursorParts.text, cursorParts.text, cursorParts.text]);

export function billLinesSpec(billId: number): KeysetList<BillLineRow, z.infer<typeof lineKey>> {
  return {
    select: sql`SELECT * FROM (
      SELECT bl.bill_no, bl.destination, bl.vehicle_no, 'on_bill' AS line, bb.bag_qr AS parent_qr, p.area_id AS parent_area_id,
        p.child_count AS parent_child_count, ${isoTimestamp(sql`bb.added_at`)} AS added_at,
        l.child_qr, ${isoTimestamp(sql`l.linked_at`)} AS linked_at, NULL::text AS returned_at, NULL::text AS return_ticket, NULL::text AS returned_by,
        '0' AS sort_group, coalesce(l.child_qr, '') AS sort_child
      FROM bill_bags bb JOIN bills bl ON bl.id = bb.bill_id JOIN bags p ON p.qr = bb.bag_qr
      LEFT JOIN links l ON l.parent_qr = bb.bag_qr
      WHERE bb.bill_id = ${billId}
      UNION ALL
      SELECT bl.bill_no, bl.destination, bl.vehicle_no, 'returned', rp.bag_qr, p.area_id, rp.child_count, NULL, NULL, NULL,
        ${isoTimestamp(sql`rp.returned_at`)}, t.code, u.username,
        '1', to_char(rp.returned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || ' ' || t.code
      FROM bills bl JOIN return_ticket_parents rp ON rp.bill_no = bl.bill_no JOIN return_tickets t ON t.id = rp.ticket_id
      LEFT JOIN bags p ON p.qr = rp.bag_qr LEFT JOIN users u ON u.id = rp.returned_by
      WHERE bl.id = ${billId}) x`,
    filters: [],
    order: [sql`x.sort_group`, sql`x.parent_qr`, sql`x.sort_child`],
    direction: 'asc',
    cursorSchema: lineKey,
    keyOf: (r) => [r.sort_group, r.parent_qr, r.sort_child],
    keyCasts: ['text', 'text', 'text'],
  };
}

export async function findBillId(db: Db, billNo: string): Promise<number | null> {
  const [row] = await queryRows<{ id: number }>(db, sql`SELECT id FROM bills WHERE lower(bill_no) = lower(${billNo}) ORDER BY (bill_no = ${billNo}) DESC LIMIT 1`);
  return row ? Number(row.id) : null;
}
