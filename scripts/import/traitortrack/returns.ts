// TraitorTrack's return tickets (IPT: `return_ticket`, `return_ticket_bag`, `bill_return_event`) → TraceTrack's
// (`return_tickets`, `return_ticket_parents`, migration 0012), the rows a ReturnTicket object re-derives itself
// from (src/db/returns.ts) when its storage is empty. The tables arrive raw in s_raw (extract.ts keeps every
// column as JSON, whatever the TraitorTrack version named them); here they are read with the column names
// known versions use, checked by one rule per anomaly (rules.ts), and loaded in the import's transaction.
// A returned parent is off the bill it was returned from: the TraitorTrack bill row that put it there before
// the return is not imported (the bill keeps a returned line instead), so the parent, its bill and the
// ticket objects all re-derive the same state from Postgres.
import type { TransactionSql } from 'postgres';
import { AREA_KEY_SQL } from './people';
import { planReturnCodes, type ReturnCodePlan } from './return-codes';
import type { Anomaly } from './rules';

type Step = [label: string, sql: string];

/** A JSON text value as a bigint, NULL unless it is a whole number. */
const int = (v: string) => `CASE WHEN (${v}) ~ '^-?[0-9]{1,18}$' THEN (${v})::bigint END`;
/** A JSON timestamp (naive = UTC, as TraitorTrack stores them; or with an offset), NULL unless it is one. */
const ts = (v: string) =>
  `CASE WHEN (${v}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?$' THEN ((${v})::timestamp AT TIME ZONE 'UTC')
        WHEN (${v}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([+-][0-9]{2}(:?[0-9]{2})?|Z)$' THEN (${v})::timestamptz END`;
/** The first of several possible column names that the row has. */
const first = (...keys: string[]) => `coalesce(${keys.map((k) => `r.row->>'${k}'`).join(', ')})`;

/** TraitorTrack's ticket statuses → TraceTrack's; anything else is decided by whether the ticket was closed. */
export const RETURN_STATUS_MAP = {
  open: ['open', 'draft', 'pending', 'new', 'in_progress', 'scanning'],
  finalized: ['finalized', 'finalised', 'committed', 'completed', 'closed', 'done'],
  cancelled: ['cancelled', 'canceled', 'void', 'voided'],
} as const;
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** The staged raw rows as typed tables (before the codes are planned). */
export function returnStageSteps(): Step[] {
  return [
    [
      'return tickets',
      `CREATE TEMP TABLE t_rt_src ON COMMIT DROP AS
       SELECT r.source_id::bigint AS id, ${first('ticket_code', 'code', 'ticket_number', 'ticket_no')} AS code,
         ${first('dispatch_area', 'receiving_area', 'area')} AS area, ${first('notes', 'remarks', 'description')} AS notes,
         r.row->>'status' AS status, ${int(first('created_by_id', 'created_by', 'user_id'))} AS user_id,
         ${int(first('finalized_by_id', 'closed_by_id', 'cancelled_by_id'))} AS closed_by,
         ${ts(`r.row->>'created_at'`)} AS created_at,
         ${ts(first('finalized_at', 'committed_at', 'closed_at', 'cancelled_at', 'updated_at'))} AS closed_at
       FROM s_raw r WHERE r.source_table = 'return_ticket' AND r.source_id ~ '^[0-9]{1,18}$';
       CREATE UNIQUE INDEX ON t_rt_src (id)`,
    ],
    [
      'returned bags',
      `CREATE TEMP TABLE t_rtb_src ON COMMIT DROP AS
       SELECT r.source_id::bigint AS id, ${int(first('return_ticket_id', 'ticket_id'))} AS ticket_ref, ${int(first('bag_id', 'parent_bag_id'))} AS raw_bag,
         ${int(`r.row->>'bill_id'`)} AS bill_ref, ${int(first('child_count_at_return', 'child_count'))} AS child_count,
         ${int(first('scanned_by_id', 'user_id', 'created_by_id'))} AS user_id, ${ts(first('scanned_at', 'returned_at', 'created_at'))} AS at
       FROM s_raw r WHERE r.source_table = 'return_ticket_bag' AND r.source_id ~ '^[0-9]{1,18}$'`,
    ],
    [
      'bill return events',
      `CREATE TEMP TABLE t_rte_src ON COMMIT DROP AS
       SELECT r.source_id::bigint AS id, ${int(first('return_ticket_id', 'ticket_id'))} AS ticket_ref, ${int(first('bag_id', 'parent_bag_id'))} AS raw_bag,
         ${int(`r.row->>'bill_id'`)} AS bill_ref, ${int(first('child_count_at_return', 'child_count'))} AS child_count,
         ${int(first('user_id', 'created_by_id'))} AS user_id, ${ts(first('created_at', 'returned_at'))} AS at
       FROM s_raw r WHERE r.source_table = 'bill_return_event' AND r.source_id ~ '^[0-9]{1,18}$'`,
    ],
  ];
}

/**
 * After people and bill numbers are planned and returnStageSteps ran: plans the tickets' codes in Node
 * (t_return: source_id, code, existing). Returns the plan's anomalies for t_anomaly.
 */
export async function planReturns(tx: TransactionSql, timeZone: string): Promise<{ plan: ReturnCodePlan; anomalies: Anomaly[] }> {
  const source = await tx<Array<{ id: string; code: string | null; created_at: string | null }>>`SELECT id::text, code,
    to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at FROM t_rt_src`;
  const codes = (await tx<Array<{ code: string }>>`SELECT code FROM return_tickets`).map((r) => r.code);
  const imported = await tx<Array<{ source_id: string; code: string }>>`SELECT m.source_id::text, t.code FROM import_id_map m
    JOIN return_tickets t ON t.code = m.target_key WHERE m.source = 'traitortrack' AND m.entity = 'return_ticket'`;
  const plan = planReturnCodes(
    source.map((t) => ({ id: Number(t.id), code: t.code, createdAt: t.created_at })),
    codes,
    new Map(imported.map((r) => [Number(r.source_id), r.code])),
    timeZone,
  );
  const rows = [...[...plan.create].map(([id, code]) => ({ id, code, existing: false })), ...[...plan.existing].map(([id, code]) => ({ id, code, existing: true }))];
  await tx.unsafe(`CREATE TEMP TABLE t_return ON COMMIT DROP AS
    SELECT source_id::bigint, code, existing::boolean FROM unnest($1::text[], $2::text[], $3::text[]) AS t(source_id, code, existing)`, [
    rows.map((r) => String(r.id)),
    rows.map((r) => r.code),
    rows.map((r) => String(r.existing)),
  ] as never);
  await tx.unsafe('CREATE UNIQUE INDEX ON t_return (source_id)');
  return { plan, anomalies: plan.anomalies };
}

const anomaly = (kind: string, table: string, select: string): Step => [
  kind,
  `INSERT INTO t_anomaly (kind, source_table, source_id, subject, detail) SELECT '${kind}', '${table}', x.source_id, x.subject, x.detail FROM (${select}) AS x(source_id, subject, detail)`,
];

const STATUS_SQL = (raw: string, closed: string) => `CASE
  WHEN lower(btrim(coalesce(${raw}, ''))) IN (${list(RETURN_STATUS_MAP.open)}) THEN 'open'
  WHEN lower(btrim(coalesce(${raw}, ''))) IN (${list(RETURN_STATUS_MAP.finalized)}) THEN 'finalized'
  WHEN lower(btrim(coalesce(${raw}, ''))) IN (${list(RETURN_STATUS_MAP.cancelled)}) THEN 'cancelled'
  WHEN ${closed} IS NOT NULL THEN 'finalized' ELSE 'open' END`;
const KNOWN_STATUSES = list([...RETURN_STATUS_MAP.open, ...RETURN_STATUS_MAP.finalized, ...RETURN_STATUS_MAP.cancelled]);

/**
 * Inside historySteps, after the bill rows are ranked (t_bb_ranked) and before the kept ones are chosen: the
 * tickets (f_return), their returned parents (f_return_parent) and the bill rows those returns undo
 * (t_bb_returned, left out of f_bill_bag).
 */
export function returnSteps(): Step[] {
  return [
    [
      'returned parents',
      // Indexes for the lookups below (a big deployment has thousands of returns beside 10^4-10^5 bill rows).
      `CREATE INDEX ON t_rtb_src (ticket_ref, raw_bag); CREATE INDEX ON t_rte_src (ticket_ref, raw_bag); CREATE INDEX ON t_bb_ranked (p_id);
       ANALYZE t_rt_src, t_rtb_src, t_rte_src;
       CREATE TEMP TABLE t_rp_cand ON COMMIT DROP AS
       SELECT 'return_ticket_bag'::text AS origin, b.id AS source_id, b.ticket_ref, t.source_id AS t_src, b.raw_bag, p.id AS p_id, p.qr, p.type, p.child_count AS p_children,
         coalesce(b.bill_ref, (SELECT e.bill_ref FROM t_rte_src e WHERE e.ticket_ref = b.ticket_ref AND e.raw_bag = b.raw_bag AND e.bill_ref IS NOT NULL ORDER BY e.id LIMIT 1)) AS bill_ref,
         b.child_count, b.user_id, b.at
       FROM t_rtb_src b LEFT JOIN t_return t ON t.source_id = b.ticket_ref
       LEFT JOIN t_alias a ON a.id = b.raw_bag LEFT JOIN f_bag p ON p.id = coalesce(a.cid, b.raw_bag);
       INSERT INTO t_rp_cand
       SELECT 'bill_return_event', e.id, e.ticket_ref, t.source_id, e.raw_bag, p.id, p.qr, p.type, p.child_count, e.bill_ref, e.child_count, e.user_id, e.at
       FROM t_rte_src e LEFT JOIN t_return t ON t.source_id = e.ticket_ref
       LEFT JOIN t_alias a ON a.id = e.raw_bag LEFT JOIN f_bag p ON p.id = coalesce(a.cid, e.raw_bag)
       WHERE NOT EXISTS (SELECT 1 FROM t_rtb_src b WHERE b.ticket_ref = e.ticket_ref AND b.raw_bag = e.raw_bag)`,
    ],
    anomaly(
      'return_bag_orphan',
      'return_ticket_bag',
      `SELECT source_id::text, qr, jsonb_build_object('origin', origin, 'ticketId', ticket_ref, 'bagId', raw_bag,
         'missing', CASE WHEN t_src IS NULL AND p_id IS NULL THEN 'both' WHEN t_src IS NULL THEN 'ticket' ELSE 'bag' END)
       FROM t_rp_cand WHERE t_src IS NULL OR p_id IS NULL`,
    ),
    anomaly('return_bag_not_parent', 'return_ticket_bag', `SELECT source_id::text, qr, jsonb_build_object('origin', origin, 'type', type) FROM t_rp_cand WHERE t_src IS NOT NULL AND p_id IS NOT NULL AND type <> 'parent'`),
    [
      'rank returned parents',
      `CREATE TEMP TABLE t_rp_ranked ON COMMIT DROP AS
       SELECT c.*, row_number() OVER (PARTITION BY c.t_src, c.p_id ORDER BY c.at NULLS LAST, c.origin DESC, c.source_id) AS rn
       FROM t_rp_cand c WHERE c.t_src IS NOT NULL AND c.p_id IS NOT NULL AND c.type = 'parent'`,
    ],
    anomaly('return_bag_duplicate', 'return_ticket_bag', `SELECT source_id::text, qr, jsonb_build_object('origin', origin, 'ticketId', ticket_ref) FROM t_rp_ranked WHERE rn > 1`),
    anomaly('return_from_event', 'bill_return_event', `SELECT source_id::text, qr, jsonb_build_object('ticketId', ticket_ref, 'billId', bill_ref) FROM t_rp_ranked WHERE rn = 1 AND origin = 'bill_return_event'`),
    // The bill it came off: the row's (or its bill_return_event's), else the bill TraitorTrack had it on before the return.
    [
      'returned from',
      `CREATE TEMP TABLE t_rp_bill ON COMMIT DROP AS
       SELECT r.*, coalesce(tb.source_id, bb.bill_source_id) AS bill_source_id, coalesce(tb.bill_no, bb.bill_no) AS bill_no,
         (tb.source_id IS NULL AND r.bill_ref IS NOT NULL) AS bill_unknown
       FROM t_rp_ranked r
       LEFT JOIN t_bill tb ON tb.source_id = r.bill_ref
       LEFT JOIN LATERAL (SELECT x.bill_source_id, x.bill_no FROM t_bb_ranked x
         WHERE x.p_id = r.p_id AND x.rn = 1 AND (r.at IS NULL OR x.created_at IS NULL OR x.created_at <= r.at) LIMIT 1) bb ON tb.source_id IS NULL
       WHERE r.rn = 1`,
    ],
    anomaly(
      'return_bag_no_bill',
      'return_ticket_bag',
      `SELECT source_id::text, qr, jsonb_build_object('origin', origin, 'ticketId', ticket_ref, 'billId', bill_ref) FROM t_rp_bill WHERE bill_no IS NULL`,
    ),
    [
      'tickets',
      `CREATE TEMP TABLE t_rp_first ON COMMIT DROP AS SELECT t_src, min(at) AS first_at, max(at) AS last_at FROM t_rp_bill WHERE bill_no IS NOT NULL GROUP BY 1;
       CREATE TEMP TABLE f_return ON COMMIT DROP AS
       SELECT s.id AS source_id, t.code, t.existing, left(nullif(btrim(coalesce(s.notes, '')), ''), 500) AS notes,
         ${STATUS_SQL('s.status', 's.closed_at')} AS status, s.status AS raw_status,
         coalesce(ar.area_id, u.area_id) AS area_id, ar.area_id AS area_direct, s.area AS raw_area,
         s.user_id, u.source_id IS NOT NULL AS user_known, s.closed_by,
         coalesce(s.created_at, k.first_at, now()) AS created_at, s.closed_at AS raw_closed_at, k.last_at
       FROM t_rt_src s JOIN t_return t ON t.source_id = s.id
       LEFT JOIN t_area ar ON ar.key = ${AREA_KEY_SQL('s.area')}
       LEFT JOIN t_user u ON u.source_id = s.user_id
       LEFT JOIN t_rp_first k ON k.t_src = s.id`,
    ],
    anomaly(
      'return_status_unknown',
      'return_ticket',
      `SELECT source_id::text, code, jsonb_build_object('status', raw_status, 'importedAs', status) FROM f_return
       WHERE NOT existing AND lower(btrim(coalesce(raw_status, ''))) NOT IN (${KNOWN_STATUSES})`,
    ),
    anomaly(
      'return_area_unknown',
      'return_ticket',
      `SELECT source_id::text, code, jsonb_build_object('area', raw_area, 'areaId', area_id) FROM f_return WHERE NOT existing AND area_direct IS NULL`,
    ),
    anomaly(
      'return_user_unknown',
      'return_ticket',
      `SELECT source_id::text, code, jsonb_build_object('userId', user_id) FROM f_return WHERE NOT existing AND user_id IS NOT NULL AND NOT user_known`,
    ),
    [
      'kept returned parents',
      `CREATE TEMP TABLE f_return_parent ON COMMIT DROP AS
       SELECT r.origin, r.source_id, r.t_src, t.code, r.p_id, r.qr, r.bill_source_id, r.bill_no, coalesce(lower(btrim(fb.status)) = 'completed', false) AS bill_finalized,
         greatest(0, coalesce(r.child_count, r.p_children))::int AS child_count, r.user_id, u.source_id IS NOT NULL AS user_known,
         coalesce(r.at, t.created_at) AS at,
         CASE r.origin WHEN 'return_ticket_bag' THEN 'tt-return-' ELSE 'tt-return-event-' END || r.source_id AS event_id
       FROM t_rp_bill r JOIN f_return t ON t.source_id = r.t_src
       LEFT JOIN s_bill fb ON fb.id = r.bill_source_id
       LEFT JOIN t_user u ON u.source_id = r.user_id
       WHERE r.bill_no IS NOT NULL;
       CREATE INDEX ON f_return_parent (p_id)`,
    ],
    anomaly(
      'return_user_unknown',
      'return_ticket_bag',
      `SELECT source_id::text, qr, jsonb_build_object('origin', origin, 'userId', user_id) FROM f_return_parent WHERE user_id IS NOT NULL AND NOT user_known`,
    ),
    // A parent returned after it went on the bill is off that bill; a row that put it there after the return stays.
    [
      'bill rows returned',
      `CREATE TEMP TABLE t_bb_returned ON COMMIT DROP AS
       SELECT DISTINCT ON (x.id) x.id, x.qr, x.bill_no, rp.code, rp.at
       FROM t_bb_ranked x JOIN f_return_parent rp ON rp.p_id = x.p_id AND rp.bill_source_id = x.bill_source_id
       WHERE x.rn = 1 AND (x.created_at IS NULL OR x.created_at <= rp.at)
       ORDER BY x.id, rp.at DESC`,
    ],
    anomaly(
      'return_bill_bag_removed',
      'bill_bag',
      `SELECT id::text, qr, jsonb_build_object('billNo', bill_no, 'ticketCode', code, 'returnedAt', at) FROM t_bb_returned`,
    ),
    [
      'ticket totals',
      `ALTER TABLE f_return ADD COLUMN parent_count int, ADD COLUMN child_count int, ADD COLUMN closed_at timestamptz;
       UPDATE f_return f SET parent_count = coalesce(k.n, 0), child_count = coalesce(k.children, 0)
       FROM (SELECT r.source_id, count(p.p_id)::int AS n, sum(p.child_count)::int AS children FROM f_return r LEFT JOIN f_return_parent p ON p.t_src = r.source_id GROUP BY 1) k
       WHERE k.source_id = f.source_id;
       UPDATE f_return SET closed_at = CASE WHEN status <> 'open' THEN coalesce(raw_closed_at, last_at, created_at) END`,
    ],
  ];
}

/** Load statements (after users, bills and bags exist): tickets, their parents, and earlier runs' bill rows. */
export function returnLoadSteps(actor: string, runId: string): Step[] {
  const a = actor.replace(/'/g, "''");
  const run = runId.replace(/'/g, "''");
  return [
    [
      'return tickets',
      `WITH ins AS (
         INSERT INTO return_tickets (code, area_id, notes, status, parent_count, child_count, created_by, created_at, closed_at, closed_by, updated_at)
         SELECT f.code, f.area_id, f.notes, f.status, f.parent_count, f.child_count, u.target_id, f.created_at, f.closed_at,
           CASE WHEN f.status <> 'open' THEN coalesce(cu.target_id, u.target_id) END, now()
         FROM f_return f LEFT JOIN t_user u ON u.source_id = f.user_id LEFT JOIN t_user cu ON cu.source_id = f.closed_by
         WHERE NOT f.existing
         ON CONFLICT (code) DO NOTHING RETURNING code, status, parent_count, child_count
       ),
       mapped AS (SELECT f.source_id, i.* FROM ins i JOIN f_return f ON f.code = i.code),
       ids AS (INSERT INTO import_id_map (source, entity, source_id, target_key, run_id) SELECT 'traitortrack', 'return_ticket', source_id, code, '${run}' FROM mapped),
       audit AS (
         INSERT INTO audit_log (actor_username, action, entity_type, entity_id, after, event_id)
         SELECT '${a}', 'return.import', 'return_ticket', code,
           jsonb_build_object('code', code, 'status', status, 'parentCount', parent_count, 'childCount', child_count, 'traitortrackId', source_id),
           'tt-import-return-' || source_id FROM mapped ON CONFLICT (event_id) DO NOTHING
       )
       SELECT count(*) FROM mapped`,
    ],
    [
      'returned parents',
      `INSERT INTO return_ticket_parents (ticket_id, bag_qr, bill_no, bill_finalized, child_count, returned_at, returned_by, event_id)
       SELECT t.id, p.qr, p.bill_no, p.bill_finalized, p.child_count, p.at, u.target_id, p.event_id
       FROM f_return_parent p JOIN return_tickets t ON t.code = p.code LEFT JOIN t_user u ON u.source_id = p.user_id
       ON CONFLICT DO NOTHING`,
    ],
    // Tickets an earlier run created that gained parents since: their totals follow their rows.
    [
      'return totals',
      `UPDATE return_tickets t SET parent_count = k.n, child_count = k.children, updated_at = now()
       FROM (SELECT p.ticket_id, count(*)::int AS n, sum(p.child_count)::int AS children FROM return_ticket_parents p
             WHERE p.ticket_id IN (SELECT r.id FROM return_tickets r JOIN f_return f ON f.code = r.code WHERE f.existing) GROUP BY 1) k
       WHERE t.id = k.ticket_id AND (t.parent_count <> k.n OR t.child_count <> k.children)`,
    ],
    // A return an earlier run did not have takes the parent off the imported bill that run put it on (as a
    // ReturnTicket's flush does: only a row added before the return).
    [
      'returned parents off their bills',
      `DELETE FROM bill_bags bb USING return_ticket_parents rp, bills b
       WHERE rp.event_id IN (SELECT event_id FROM f_return_parent) AND bb.bag_qr = rp.bag_qr AND b.id = bb.bill_id AND b.bill_no = rp.bill_no
         AND bb.added_at <= rp.returned_at
         AND EXISTS (SELECT 1 FROM import_id_map m WHERE m.source = 'traitortrack' AND m.entity = 'bill' AND m.target_key = b.bill_no)`,
    ],
  ];
}
