// Bags as Postgres knows them: the filtered list (keyset pages) and the universal lookup with history.
// Postgres trails an open parent's Durable Object by the flush delay (~1–2 s); that is fine for reading.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '../../db/client';
import { cursorParts, cursorTimestamp, isoTimestamp, type KeysetList } from '../../db/list';
import { likeContains, timeRange } from './params';
import type { BagItem, LookupBill, HistoryEntry, BagLookup } from '../../shared/api';
export type { BagItem, BagView, LookupBill, HistoryEntry, BagLookup } from '../../shared/api';

export interface BagFilters {
  type?: 'parent' | 'child';
  areaId?: number;
  status?: 'open' | 'completed' | 'linked' | 'unlinked';
  /** Child bags only: in a parent now (true) or not (false). */
  linked?: boolean;
  /** Parent bags only: on a bill (true) or not (false). */
  billed?: boolean;
  from?: string;
  to?: string;
  /** The user who first scanned the bag (created it). */
  scannedBy?: number;
  /** Part of the QR (≥ 3 characters uses the trigram index). */
  q?: string;
}

export interface BagRow extends Record<string, unknown> {
  qr: string;
  type: 'parent' | 'child';
  area_id: number | null;
  status: string;
  child_count: number;
  created_at: string;
  created_by: number | null;
  created_by_name: string | null;
  sort_at: string;
}


const bagKey = z.tuple([cursorParts.timestamp, cursorParts.text]);

/** Newest first; (created_at, qr) is unique, and the bags_*_created_qr indexes serve it. */
export function bagListSpec(f: BagFilters, timeZone: string): KeysetList<BagRow, z.infer<typeof bagKey>> {
  const filters: Array<SQL | undefined> = [
    f.type !== undefined ? sql`b.type = ${f.type}` : undefined,
    f.areaId !== undefined ? sql`b.area_id = ${f.areaId}` : undefined,
    f.status !== undefined ? sql`b.status = ${f.status}` : undefined,
    // Literals, spelled as the partial index's predicate: a parameter would hide them from the planner
    // (and from generic plans of prepared statements), and the unlinked-children index would go unused.
    f.linked === true ? sql`b.type = 'child' AND b.status = 'linked'` : undefined,
    f.linked === false ? sql`b.type = 'child' AND b.status = 'unlinked'` : undefined,
    f.billed === true ? sql`b.type = 'parent' AND EXISTS (SELECT 1 FROM bill_bags bb WHERE bb.bag_qr = b.qr)` : undefined,
    f.billed === false ? sql`b.type = 'parent' AND NOT EXISTS (SELECT 1 FROM bill_bags bb WHERE bb.bag_qr = b.qr)` : undefined,
    f.scannedBy !== undefined ? sql`b.created_by = ${f.scannedBy}` : undefined,
    f.q !== undefined ? sql`lower(b.qr) LIKE ${likeContains(f.q)}` : undefined,
    ...timeRange(sql`b.created_at`, f.from, f.to, timeZone),
  ];
  return {
    select: sql`SELECT b.qr, b.type, b.area_id, b.status, b.child_count, ${isoTimestamp(sql`b.created_at`)} AS created_at,
      b.created_by, (SELECT u.username FROM users u WHERE u.id = b.created_by) AS created_by_name,
      ${cursorTimestamp(sql`b.created_at`)} AS sort_at
    FROM bags b`,
    filters,
    order: [sql`b.created_at`, sql`b.qr`],
    direction: 'desc',
    cursorSchema: bagKey,
    keyOf: (r) => [r.sort_at, r.qr],
    keyCasts: ['timestamptz', 'text'],
  };
}

export function bagItem(r: BagRow): BagItem {
  return {
    qr: r.qr,
    type: r.type,
    areaId: r.area_id,
    status: r.status,
    childCount: Number(r.child_count),
    createdAt: r.created_at,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
  };
}





export const HISTORY_LIMIT = 200;

const bagJson = (alias: string) => {
  const a = sql.raw(alias);
  return sql`json_build_object('qr', ${a}.qr, 'type', ${a}.type, 'areaId', ${a}.area_id, 'status', ${a}.status,
    'childCount', ${a}.child_count, 'createdAt', ${isoTimestamp(sql`${a}.created_at`)}, 'createdBy', ${a}.created_by,
    'createdByName', (SELECT u.username FROM users u WHERE u.id = ${a}.created_by),
    'completedAt', ${isoTimestamp(sql`${a}.completed_at`)})`;
};

/**
 * The bag, its parent (child bags) or children (parent bags), the bill it travels on (its own for a parent,
 * its parent's for a child) and its newest history entries, in ONE statement: one round trip to Postgres,
 * each part an index lookup (bags PK, links PK/parent index, bill_bags PK, scans/link_events by QR).
 *
 * `viewerAreaId` (dispatchers and supervisors): what happened in other areas stays out. History keeps only
 * scans made in that area and links/unlinks of that area's parents; the people who created a bag or a
 * parent of another area, or linked into it, are not named. The chain itself (which parent, which bill)
 * stays: it says where the caller's own bag physically is.
 */
export async function lookupBag(db: Db, qr: string, viewerAreaId?: number): Promise<BagLookup | null> {
  const [row] = await queryRows<{ doc: string | null }>(db, lookupQuery(qr, viewerAreaId));
  if (!row?.doc) return null;
  const doc = JSON.parse(row.doc) as BagLookup & { parent: BagLookup['parent'] | null; children: BagLookup['children'] | null; bill: LookupBill | null };
  const out: BagLookup = { bag: doc.bag, history: doc.history.map(compactHistory) };
  if (doc.parent) out.parent = doc.parent;
  if (doc.children) out.children = doc.children;
  if (doc.bill) out.bill = doc.bill;
  if (viewerAreaId !== undefined) {
    if (out.bag.areaId !== viewerAreaId) out.bag = { ...out.bag, createdBy: null, createdByName: null };
    if (out.parent && out.parent.areaId !== viewerAreaId) out.parent = { ...out.parent, createdBy: null, createdByName: null, linkedBy: null };
  }
  return out;
}

/** The lookup statement (exported for EXPLAIN in bench:read); `viewerAreaId` as in lookupBag. */
export function lookupQuery(qr: string, viewerAreaId?: number): SQL {
  const scanSeen = viewerAreaId === undefined ? sql`` : sql` AND s.area_id = ${viewerAreaId}`;
  const linkSeen =
    viewerAreaId === undefined ? sql`` : sql` AND EXISTS (SELECT 1 FROM bags ep WHERE ep.qr = e.parent_qr AND ep.area_id = ${viewerAreaId})`;
  return sql`WITH b AS (SELECT * FROM bags WHERE qr = ${qr}),
l AS (SELECT parent_qr, linked_at, linked_by FROM links WHERE child_qr = ${qr}),
bill_bag AS (
  SELECT bb.added_at, bl.* FROM bill_bags bb JOIN bills bl ON bl.id = bb.bill_id
  WHERE bb.bag_qr = coalesce((SELECT parent_qr FROM l), ${qr})
),
h AS (
  SELECT * FROM (
    SELECT s.created_at AS at, 'scan' AS kind, s.parent_qr, s.child_qr, s.user_id, s.result, s.error_code, NULL::text AS reason, NULL::text AS bill_no,
      NULL::text AS ticket_code
    FROM scans s WHERE (s.child_qr = ${qr} OR s.parent_qr = ${qr})${scanSeen}
    UNION ALL
    SELECT e.at, e.kind, e.parent_qr, e.child_qr, e.user_id, NULL, NULL, e.reason, NULL, NULL
    FROM link_events e WHERE (e.child_qr = ${qr} OR e.parent_qr = ${qr})${linkSeen}
    UNION ALL
    SELECT bb.added_at, 'bill_add', bb.bag_qr, NULL, bb.added_by, NULL, NULL, NULL, bl.bill_no, NULL
    FROM bill_bags bb JOIN bills bl ON bl.id = bb.bill_id WHERE bb.bag_qr = ${qr}
    UNION ALL
    SELECT bl.finalized_at, 'bill_finalize', bb.bag_qr, NULL, NULL, NULL, NULL, NULL, bl.bill_no, NULL
    FROM bill_bags bb JOIN bills bl ON bl.id = bb.bill_id WHERE bb.bag_qr = ${qr} AND bl.finalized AND bl.finalized_at IS NOT NULL
    UNION ALL
    SELECT rp.returned_at, 'return', rp.bag_qr, NULL, rp.returned_by, NULL, NULL, NULL, rp.bill_no, rt.code
    FROM return_ticket_parents rp JOIN return_tickets rt ON rt.id = rp.ticket_id
    WHERE rp.bag_qr = coalesce((SELECT parent_qr FROM l), ${qr})
  ) x ORDER BY at DESC LIMIT ${HISTORY_LIMIT}
)
SELECT json_build_object(
  'bag', (SELECT ${bagJson('b')} FROM b),
  'parent', (SELECT ${bagJson('p')}::jsonb || jsonb_build_object('linkedAt', ${isoTimestamp(sql`l.linked_at`)},
               'linkedBy', (SELECT u.username FROM users u WHERE u.id = l.linked_by))
             FROM l JOIN bags p ON p.qr = l.parent_qr),
  'children', CASE WHEN (SELECT type FROM b) = 'parent' THEN coalesce((
     SELECT json_agg(json_build_object('qr', c.child_qr, 'linkedAt', ${isoTimestamp(sql`c.linked_at`)},
       'by', (SELECT u.username FROM users u WHERE u.id = c.linked_by)) ORDER BY c.linked_at, c.child_qr)
     FROM links c WHERE c.parent_qr = ${qr}), '[]'::json) END,
  'bill', (SELECT json_build_object('billNo', bill_no, 'destination', destination, 'vehicleNo', vehicle_no,
             'status', status, 'finalized', finalized, 'capacity', capacity, 'addedAt', ${isoTimestamp(sql`added_at`)})
           FROM bill_bag),
  'history', coalesce((SELECT json_agg(json_build_object('at', ${isoTimestamp(sql`h.at`)}, 'kind', h.kind,
      'parentQr', h.parent_qr, 'childQr', h.child_qr, 'by', (SELECT u.username FROM users u WHERE u.id = h.user_id),
      'result', h.result, 'errorCode', h.error_code, 'reason', h.reason, 'billNo', h.bill_no, 'ticketCode', h.ticket_code) ORDER BY h.at DESC)
    FROM h), '[]'::json)
)::text AS doc
WHERE EXISTS (SELECT 1 FROM b)`;
}

/** Drops the fields an entry's kind does not have (JSON nulls from the UNION). */
function compactHistory(e: HistoryEntry): HistoryEntry {
  const out: HistoryEntry = { at: e.at, kind: e.kind, parentQr: e.parentQr, childQr: e.childQr, by: e.by };
  if (e.kind === 'scan') {
    out.result = e.result;
    out.errorCode = e.errorCode ?? null;
  }
  if (e.kind === 'unlink') out.reason = e.reason ?? null;
  if (e.billNo) out.billNo = e.billNo;
  if (e.ticketCode) out.ticketCode = e.ticketCode;
  return out;
}

export const SUGGESTION_LIMIT = 5;
/**
 * Similarity a suggestion needs (pg_trgm's default is 0.3). One mistyped character of a 10-character QR
 * leaves a similarity of ~0.55–0.7, so 0.5 keeps real near misses; and it lets the GIN index skip the rows
 * that merely share the common prefix trigrams ("  c", " cb", "cb0", "b00"…): at 1.8 million bags a child-QR
 * typo took 2 s at 0.3 and ~0.1 s at 0.5.
 */
export const SUGGESTION_THRESHOLD = 0.5;

/**
 * "Did you mean": QRs similar to `qr` by trigram similarity (`%` uses the GIN index bags_qr_trgm_idx on
 * lower(qr)), most similar first, within `areaId` when the caller is area-limited. The threshold is set for
 * this statement only (set_config(…, true) in the statement's own transaction, run once as an InitPlan
 * before the scan starts), so no session state leaks to other queries on the same connection.
 */
export async function suggestQrs(db: Db, qr: string, areaId: number | undefined): Promise<string[]> {
  const needle = qr.toLowerCase();
  const rows = await queryRows<{ qr: string }>(
    db,
    sql`SELECT qr FROM bags
      WHERE (SELECT set_config('pg_trgm.similarity_threshold', ${String(SUGGESTION_THRESHOLD)}, true)) IS NOT NULL
        AND lower(qr) % ${needle}${areaId !== undefined ? sql` AND area_id = ${areaId}` : sql``}
      ORDER BY similarity(lower(qr), ${needle}) DESC, qr
      LIMIT ${SUGGESTION_LIMIT}`,
  );
  return rows.map((r) => r.qr);
}
