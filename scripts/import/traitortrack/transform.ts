// Step 2: TraitorTrack's staged rows → the exact rows TraceTrack will hold, as temporary tables (f_*), with
// every anomaly recorded in t_anomaly by the one rule rules.ts names for it. Everything is set-based SQL
// inside TraceTrack's database (the staging tables are there), so 1.8 M bags take seconds, not hours; it
// reads TraceTrack's tables (conflicts with what is there) but writes only temporary tables, so a dry run
// and a real run compute the same thing. Users and bill numbers are planned in Node (people.ts,
// bill-numbers.ts) between the two halves, and all references stay TraitorTrack ids until the load.
import type { Sql, TransactionSql } from 'postgres';
import { AREA_KEY_SQL } from './people';
import type { Progress } from './progress';
import { returnSteps } from './returns';

export interface TransformSettings {
  /** PARENT_CAPACITY of the deployment: parents at it are completed. */
  parentCapacity: number;
  /** A committed earlier run of this import exists: bags TraceTrack already holds are then not anomalies. */
  previousRun: boolean;
}

type Step = [label: string, sql: string];

/** Runs labelled statements in order, one progress tick each. */
export async function runSteps(db: Sql | TransactionSql, title: string, steps: Step[], progress: Progress): Promise<void> {
  progress.start(title, steps.length);
  for (const [label, text] of steps) {
    const started = Date.now();
    try {
      // Simple protocol: a step may be several statements.
      await db.unsafe(text).simple();
      const seconds = (Date.now() - started) / 1000;
      // Steps that take a while are named, so a slow import shows where its time goes.
      if (seconds >= 2) progress.log(`    ${title}: ${label} ${seconds.toFixed(1)} s`);
    } catch (error) {
      throw new Error(`${title}: ${label} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    progress.increment(1);
  }
  progress.stop();
}

const anomaly = (kind: string, table: string, select: string): Step => [
  kind,
  `INSERT INTO t_anomaly (kind, source_table, source_id, subject, detail) SELECT '${kind}', '${table}', x.source_id, x.subject, x.detail FROM (${select}) AS x(source_id, subject, detail)`,
];

/** TraitorTrack's type of a staged bag, or the one its QR format implies when the type is not parent/child. */
const TT_TYPE = `CASE WHEN lower(btrim(b.type)) IN ('parent', 'child') THEN lower(btrim(b.type)) WHEN b.qr_norm ~ '^SB[0-9]{5}$' THEN 'parent' ELSE 'child' END`;

/** The source id of a TraitorTrack bag reference after merging case duplicates. */
const canonical = (ref: string, alias: string) => `coalesce(${alias}.cid, ${ref})`;

/** Before Node plans people and bill numbers: indexes on the staging tables, the bags' identities. */
export function bagSteps(s: TransformSettings): Step[] {
  return [
    ['anomaly table', `CREATE TEMP TABLE t_anomaly (kind text NOT NULL, source_table text NOT NULL, source_id text, subject text, detail jsonb NOT NULL) ON COMMIT DROP`],
    ['analyze staging', `ANALYZE s_user, s_bag, s_link, s_bill, s_bill_bag, s_scan, s_audit, s_raw`],
    ['areas', `CREATE TEMP TABLE t_area ON COMMIT DROP AS SELECT DISTINCT ON (${AREA_KEY_SQL('name')}) ${AREA_KEY_SQL('name')} AS key, id AS area_id FROM areas ORDER BY ${AREA_KEY_SQL('name')}, id`],
    anomaly('qr_missing', 'bag', `SELECT id::text AS source_id, NULL::text AS subject, jsonb_build_object('qr', qr_id) AS detail FROM s_bag WHERE qr_norm = ''`),
    anomaly('qr_normalized', 'bag', `SELECT id::text, qr_norm, jsonb_build_object('from', qr_id, 'to', qr_norm) FROM s_bag WHERE qr_norm <> '' AND qr_norm <> qr_id`),
    // Case duplicates: the oldest row of each normalized QR is kept; t_alias maps every other row to it.
    [
      'case duplicates',
      `CREATE TEMP TABLE t_alias ON COMMIT DROP AS
       SELECT id, cid FROM (
         SELECT b.id, first_value(b.id) OVER (PARTITION BY b.qr_norm ORDER BY b.created_at NULLS LAST, b.id) AS cid
         FROM s_bag b WHERE b.qr_norm IN (SELECT qr_norm FROM s_bag WHERE qr_norm <> '' GROUP BY 1 HAVING count(*) > 1)
       ) d WHERE id <> cid`,
    ],
    ['alias index', `CREATE UNIQUE INDEX ON t_alias (id)`],
    // One row per QR: the type TraitorTrack gave it (or its format implies), and what TraceTrack already has.
    [
      'bags',
      `CREATE TEMP TABLE c_bag ON COMMIT DROP AS
       SELECT b.id, b.qr_norm AS qr, b.qr_id AS raw_qr, b.type AS raw_type, ${TT_TYPE} AS tt_type,
         coalesce(x.type, ${TT_TYPE}) AS type, x.type AS existing_type, b.dispatch_area, ar.area_id AS area_direct, b.user_id, b.status, b.child_count,
         b.created_at, b.updated_at
       FROM s_bag b
       LEFT JOIN t_area ar ON ar.key = ${AREA_KEY_SQL('b.dispatch_area')}
       LEFT JOIN bags x ON x.qr = b.qr_norm
       WHERE b.qr_norm <> '' AND NOT EXISTS (SELECT 1 FROM t_alias a WHERE a.id = b.id)`,
    ],
    ['bag index', `CREATE UNIQUE INDEX ON c_bag (id); ANALYZE c_bag`],
    anomaly(
      'qr_duplicate_merged',
      'bag',
      `SELECT a.id::text, c.qr, jsonb_build_object('qr', b.qr_id, 'mergedInto', a.cid, 'keptQr', c.raw_qr, 'type', b.type, 'keptType', c.tt_type)
       FROM t_alias a JOIN s_bag b ON b.id = a.id JOIN c_bag c ON c.id = a.cid`,
    ),
    anomaly(
      'bag_type_unknown',
      'bag',
      `SELECT id::text, qr, jsonb_build_object('type', raw_type, 'importedAs', tt_type) FROM c_bag WHERE lower(btrim(coalesce(raw_type, ''))) NOT IN ('parent', 'child')`,
    ),
    anomaly(
      'qr_format',
      'bag',
      `SELECT id::text, qr, jsonb_build_object('type', type) FROM c_bag
       WHERE (type = 'parent' AND qr !~ '^SB[0-9]{5}$') OR (type = 'child' AND (qr !~ '^[A-Z0-9]{4,20}$' OR qr ~ '^SB[0-9]{5}$'))`,
    ),
    anomaly(
      'bag_type_conflict',
      'bag',
      `SELECT id::text, qr, jsonb_build_object('traitortrackType', tt_type, 'tracetrackType', existing_type) FROM c_bag WHERE existing_type IS NOT NULL AND existing_type <> tt_type`,
    ),
    ...(s.previousRun
      ? []
      : [anomaly('bag_exists', 'bag', `SELECT id::text, qr, jsonb_build_object('type', existing_type) FROM c_bag WHERE existing_type IS NOT NULL AND existing_type = tt_type`)]),
  ];
}

/**
 * After Node planned people (t_user: source_id, username, area_id, known) and bill numbers (t_bill:
 * source_id, bill_no, existing): links, bags, scans, bills, bill rows, audit rows and raw rows.
 */
export function historySteps(s: TransformSettings): Step[] {
  const cap = s.parentCapacity;
  return [
    // ---- links: TraitorTrack's link rows, plus bag.parent_id where a child has no link row at all.
    [
      'link candidates',
      `CREATE TEMP TABLE t_link_cand ON COMMIT DROP AS
       SELECT 'link'::text AS origin, l.id AS source_id, l.parent_bag_id AS raw_p, l.child_bag_id AS raw_c,
         p.id AS p_id, p.qr AS p_qr, p.type AS p_type, c.id AS c_id, c.qr AS c_qr, c.type AS c_type, coalesce(l.created_at, c.created_at) AS at
       FROM s_link l
       LEFT JOIN t_alias pa ON pa.id = l.parent_bag_id LEFT JOIN c_bag p ON p.id = ${canonical('l.parent_bag_id', 'pa')}
       LEFT JOIN t_alias ca ON ca.id = l.child_bag_id LEFT JOIN c_bag c ON c.id = ${canonical('l.child_bag_id', 'ca')}`,
    ],
    // Children that name a parent in bag.parent_id (narrow, so the two uses below join it cheaply).
    [
      'parent ids',
      `CREATE TEMP TABLE t_pid ON COMMIT DROP AS
       SELECT b.id AS source_id, ${canonical('b.id', 'ca')} AS c_id, b.parent_id AS raw_p, ${canonical('b.parent_id', 'pa')} AS p_ref,
         coalesce(b.updated_at, b.created_at) AS at
       FROM s_bag b LEFT JOIN t_alias ca ON ca.id = b.id LEFT JOIN t_alias pa ON pa.id = b.parent_id
       WHERE b.parent_id IS NOT NULL`,
    ],
    [
      'links from parent_id',
      `INSERT INTO t_link_cand
       SELECT 'parent_id', t.source_id, t.raw_p, t.source_id, p.id, p.qr, p.type, c.id, c.qr, c.type, t.at
       FROM t_pid t JOIN c_bag c ON c.id = t.c_id LEFT JOIN c_bag p ON p.id = t.p_ref
       WHERE NOT EXISTS (SELECT 1 FROM t_link_cand l WHERE l.c_id = t.c_id AND l.origin = 'link')`,
    ],
    anomaly(
      'link_orphan',
      'link',
      `SELECT source_id::text, coalesce(c_qr, p_qr), jsonb_build_object('origin', origin, 'parentBagId', raw_p, 'childBagId', raw_c,
         'missing', CASE WHEN p_id IS NULL AND c_id IS NULL THEN 'both' WHEN p_id IS NULL THEN 'parent' ELSE 'child' END)
       FROM t_link_cand WHERE p_id IS NULL OR c_id IS NULL`,
    ),
    anomaly(
      'link_wrong_type',
      'link',
      `SELECT source_id::text, c_qr, jsonb_build_object('origin', origin, 'parentQr', p_qr, 'parentType', p_type, 'childQr', c_qr, 'childType', c_type)
       FROM t_link_cand WHERE p_id IS NOT NULL AND c_id IS NOT NULL AND (p_type <> 'parent' OR c_type <> 'child')`,
    ),
    // The oldest link of each child wins.
    [
      'rank links',
      `CREATE TEMP TABLE t_link_ranked ON COMMIT DROP AS
       SELECT *, row_number() OVER w AS rn, first_value(p_id) OVER w AS winner_p, first_value(p_qr) OVER w AS winner_qr
       FROM t_link_cand WHERE p_id IS NOT NULL AND c_id IS NOT NULL AND p_type = 'parent' AND c_type = 'child'
       WINDOW w AS (PARTITION BY c_id ORDER BY at NULLS LAST, origin, source_id)`,
    ],
    anomaly('link_duplicate', 'link', `SELECT source_id::text, c_qr, jsonb_build_object('origin', origin, 'parentQr', p_qr) FROM t_link_ranked WHERE rn > 1 AND p_id = winner_p`),
    anomaly(
      'link_conflict',
      'link',
      `SELECT source_id::text, c_qr, jsonb_build_object('origin', origin, 'parentQr', p_qr, 'at', at, 'keptParentQr', winner_qr) FROM t_link_ranked WHERE rn > 1 AND p_id <> winner_p`,
    ),
    anomaly(
      'link_conflict_tracetrack',
      'link',
      `SELECT r.source_id::text, r.c_qr, jsonb_build_object('origin', r.origin, 'parentQr', r.p_qr, 'tracetrackParentQr', x.parent_qr)
       FROM t_link_ranked r JOIN links x ON x.child_qr = r.c_qr WHERE r.rn = 1 AND x.parent_qr <> r.p_qr`,
    ),
    [
      'kept links',
      `CREATE TEMP TABLE f_link ON COMMIT DROP AS
       SELECT r.origin, r.source_id, r.p_id, r.p_qr, r.c_id, r.c_qr, r.at,
         CASE r.origin WHEN 'link' THEN 'tt-link-' ELSE 'tt-pid-' END || r.source_id AS event_id
       FROM t_link_ranked r
       WHERE r.rn = 1 AND NOT EXISTS (SELECT 1 FROM links x WHERE x.child_qr = r.c_qr AND x.parent_qr <> r.p_qr)`,
    ],
    ['link index', `CREATE UNIQUE INDEX ON f_link (c_id); CREATE INDEX ON f_link (p_id); ANALYZE f_link`],
    anomaly('link_from_parent_id', 'bag', `SELECT source_id::text, c_qr, jsonb_build_object('parentQr', p_qr) FROM f_link WHERE origin = 'parent_id'`),
    anomaly(
      'parent_id_disagrees',
      'bag',
      `SELECT t.source_id::text, l.c_qr, jsonb_build_object('parentIdQr', p.qr, 'linkParentQr', l.p_qr)
       FROM t_pid t JOIN f_link l ON l.c_id = t.c_id LEFT JOIN c_bag p ON p.id = t.p_ref
       WHERE l.origin = 'link' AND t.p_ref IS DISTINCT FROM l.p_id`,
    ),
    // ---- bags as TraceTrack will hold them.
    [
      'parent counts',
      `CREATE TEMP TABLE t_parent_count ON COMMIT DROP AS SELECT p_id, count(*)::int AS n, max(at) AS last_at FROM f_link GROUP BY p_id;
       CREATE UNIQUE INDEX ON t_parent_count (p_id)`,
    ],
    [
      'final bags',
      `CREATE TEMP TABLE f_bag ON COMMIT DROP AS
       SELECT c.id, c.qr, c.type, c.existing_type IS NOT NULL AS existing,
         coalesce(c.area_direct, CASE WHEN c.type = 'child' THEN p.area_direct END, u.area_id) AS area_id,
         CASE WHEN c.type = 'parent' THEN
                CASE WHEN lower(btrim(coalesce(c.status, ''))) = 'completed' OR coalesce(k.n, 0) >= ${cap} THEN 'completed' ELSE 'open' END
              WHEN l.c_id IS NOT NULL THEN 'linked' ELSE 'unlinked' END AS status,
         CASE WHEN c.type = 'parent' THEN coalesce(k.n, 0) ELSE 0 END AS child_count,
         c.user_id AS user_source_id, u.source_id IS NOT NULL AS user_known,
         coalesce(c.created_at, c.updated_at, k.last_at, now()) AS created_at,
         coalesce(c.updated_at, c.created_at, k.last_at, now()) AS updated_at,
         CASE WHEN c.type = 'parent' AND (lower(btrim(coalesce(c.status, ''))) = 'completed' OR coalesce(k.n, 0) >= ${cap})
              THEN coalesce(c.updated_at, k.last_at, c.created_at, now()) END AS completed_at,
         c.child_count AS raw_child_count, c.dispatch_area, c.area_direct
       FROM c_bag c
       LEFT JOIN t_parent_count k ON k.p_id = c.id
       LEFT JOIN f_link l ON l.c_id = c.id
       LEFT JOIN c_bag p ON p.id = l.p_id
       LEFT JOIN t_user u ON u.source_id = c.user_id`,
    ],
    ['bag final index', `CREATE UNIQUE INDEX ON f_bag (id); ANALYZE f_bag`],
    anomaly(
      'bag_area_unknown',
      'bag',
      `SELECT id::text, qr, jsonb_build_object('area', dispatch_area, 'areaId', area_id) FROM f_bag WHERE area_direct IS NULL AND btrim(coalesce(dispatch_area, '')) <> '' AND NOT existing`,
    ),
    anomaly('bag_user_unknown', 'bag', `SELECT id::text, qr, jsonb_build_object('userId', user_source_id) FROM f_bag WHERE user_source_id IS NOT NULL AND NOT user_known AND NOT existing`),
    anomaly(
      'child_count_recounted',
      'bag',
      `SELECT id::text, qr, jsonb_build_object('traitortrack', raw_child_count, 'links', child_count) FROM f_bag WHERE type = 'parent' AND raw_child_count IS NOT NULL AND raw_child_count <> child_count`,
    ),
    anomaly('parent_over_capacity', 'bag', `SELECT id::text, qr, jsonb_build_object('children', child_count, 'capacity', ${cap}) FROM f_bag WHERE type = 'parent' AND child_count > ${cap}`),

    // ---- scans: the first scan of a parent/child pair linked it, later ones were duplicates; a scan
    // without a child is a parent scan (recorded as linked, without a child).
    [
      'scans',
      `CREATE TEMP TABLE t_scan ON COMMIT DROP AS
       SELECT s.id, s.timestamp AS at, s.parent_bag_id AS raw_p, s.child_bag_id AS raw_c, s.user_id AS raw_u,
         p.id AS p_id, p.qr AS p_qr, p.area_id AS p_area, c.id AS c_id, c.qr AS c_qr, u.source_id AS u_id, u.area_id AS u_area
       FROM s_scan s
       LEFT JOIN t_alias pa ON pa.id = s.parent_bag_id LEFT JOIN f_bag p ON p.id = ${canonical('s.parent_bag_id', 'pa')}
       LEFT JOIN t_alias ca ON ca.id = s.child_bag_id LEFT JOIN f_bag c ON c.id = ${canonical('s.child_bag_id', 'ca')}
       LEFT JOIN t_user u ON u.source_id = s.user_id`,
    ],
    anomaly(
      'scan_orphan',
      'scan',
      `SELECT id::text, coalesce(c_qr, p_qr), jsonb_build_object('parentBagId', raw_p, 'childBagId', raw_c) FROM t_scan
       WHERE (raw_p IS NULL AND raw_c IS NULL) OR (raw_p IS NOT NULL AND p_id IS NULL) OR (raw_c IS NOT NULL AND c_id IS NULL)`,
    ),
    anomaly(
      'scan_time_missing',
      'scan',
      `SELECT id::text, coalesce(c_qr, p_qr), '{}'::jsonb FROM t_scan
       WHERE at IS NULL AND NOT ((raw_p IS NULL AND raw_c IS NULL) OR (raw_p IS NOT NULL AND p_id IS NULL) OR (raw_c IS NOT NULL AND c_id IS NULL))`,
    ),
    [
      'final scans',
      `CREATE TEMP TABLE f_scan ON COMMIT DROP AS
       SELECT 'tt-scan-' || id AS scan_id, id, p_id, c_id, p_qr, c_qr, u_id, raw_u, coalesce(p_area, u_area) AS area_id, at,
         CASE WHEN c_id IS NULL OR row_number() OVER (PARTITION BY p_id, c_id ORDER BY at, id) = 1 THEN 'linked' ELSE 'duplicate' END AS result
       FROM t_scan
       WHERE at IS NOT NULL AND (raw_p IS NOT NULL OR raw_c IS NOT NULL) AND (raw_p IS NULL OR p_id IS NOT NULL) AND (raw_c IS NULL OR c_id IS NOT NULL)`,
    ],
    anomaly('scan_user_unknown', 'scan', `SELECT id::text, coalesce(c_qr, p_qr), jsonb_build_object('userId', raw_u) FROM f_scan WHERE raw_u IS NOT NULL AND u_id IS NULL`),
    // Who linked a child: whoever scanned that pair first, else whoever created the child bag.
    [
      'link users',
      `CREATE TEMP TABLE t_link_user ON COMMIT DROP AS
       SELECT DISTINCT ON (p_id, c_id) p_id, c_id, u_id FROM f_scan WHERE c_id IS NOT NULL AND u_id IS NOT NULL ORDER BY p_id, c_id, at, id`,
    ],

    // ---- bills and their parents (bill ids stay TraitorTrack's; the load maps them).
    [
      'bill rows',
      `CREATE TEMP TABLE t_bb ON COMMIT DROP AS
       SELECT bb.id, bb.bill_id AS raw_bill, bb.bag_id AS raw_bag, tb.source_id AS bill_source_id, tb.bill_no, p.id AS p_id, p.qr, p.type, bb.created_at
       FROM s_bill_bag bb LEFT JOIN t_bill tb ON tb.source_id = bb.bill_id
       LEFT JOIN t_alias a ON a.id = bb.bag_id LEFT JOIN f_bag p ON p.id = ${canonical('bb.bag_id', 'a')}`,
    ],
    anomaly(
      'bill_bag_orphan',
      'bill_bag',
      `SELECT id::text, coalesce(qr, bill_no), jsonb_build_object('billId', raw_bill, 'bagId', raw_bag, 'missing', CASE WHEN bill_no IS NULL AND p_id IS NULL THEN 'both' WHEN bill_no IS NULL THEN 'bill' ELSE 'bag' END)
       FROM t_bb WHERE bill_no IS NULL OR p_id IS NULL`,
    ),
    anomaly('bill_bag_not_parent', 'bill_bag', `SELECT id::text, qr, jsonb_build_object('billNo', bill_no, 'type', type) FROM t_bb WHERE bill_no IS NOT NULL AND p_id IS NOT NULL AND type <> 'parent'`),
    [
      'rank bill rows',
      `CREATE TEMP TABLE t_bb_ranked ON COMMIT DROP AS
       SELECT *, row_number() OVER w AS rn, first_value(bill_source_id) OVER w AS winner_bill, first_value(bill_no) OVER w AS winner_no
       FROM t_bb WHERE bill_no IS NOT NULL AND p_id IS NOT NULL AND type = 'parent'
       WINDOW w AS (PARTITION BY p_id ORDER BY created_at NULLS LAST, id)`,
    ],
    anomaly('bill_bag_duplicate', 'bill_bag', `SELECT id::text, qr, jsonb_build_object('billNo', bill_no) FROM t_bb_ranked WHERE rn > 1 AND bill_source_id = winner_bill`),
    anomaly('bill_bag_conflict', 'bill_bag', `SELECT id::text, qr, jsonb_build_object('billNo', bill_no, 'keptBillNo', winner_no) FROM t_bb_ranked WHERE rn > 1 AND bill_source_id <> winner_bill`),
    anomaly(
      'bill_bag_conflict_tracetrack',
      'bill_bag',
      `SELECT r.id::text, r.qr, jsonb_build_object('billNo', r.bill_no, 'tracetrackBillNo', b.bill_no)
       FROM t_bb_ranked r JOIN bill_bags x ON x.bag_qr = r.qr JOIN bills b ON b.id = x.bill_id WHERE r.rn = 1 AND b.bill_no <> r.bill_no`,
    ),
    // Return tickets: a parent returned after it went on a bill is off it (returns.ts).
    ...returnSteps(),
    [
      'kept bill rows',
      `CREATE TEMP TABLE f_bill_bag ON COMMIT DROP AS
       SELECT r.id, r.bill_source_id, r.bill_no, r.p_id, r.qr, r.created_at
       FROM t_bb_ranked r
       WHERE r.rn = 1 AND NOT EXISTS (SELECT 1 FROM bill_bags x JOIN bills b ON b.id = x.bill_id WHERE x.bag_qr = r.qr AND b.bill_no <> r.bill_no)
         AND NOT EXISTS (SELECT 1 FROM t_bb_returned x WHERE x.id = r.id)`,
    ],
    [
      'final bills',
      `CREATE TEMP TABLE t_bill_count ON COMMIT DROP AS
         SELECT bb.bill_source_id, count(*)::int AS parents, sum(p.child_count)::int AS children
         FROM f_bill_bag bb JOIN f_bag p ON p.id = bb.p_id GROUP BY 1;
       CREATE TEMP TABLE f_bill ON COMMIT DROP AS
       SELECT b.id AS source_id, tb.bill_no, tb.existing, b.description, b.status AS raw_status, b.parent_bag_count AS raw_capacity,
         b.total_child_bags, b.total_weight_kg, b.expected_weight_kg, b.created_by_id, u.source_id IS NOT NULL AS user_known,
         coalesce(k.parents, 0) AS parents, coalesce(k.children, 0) AS children,
         CASE WHEN b.parent_bag_count BETWEEN 1 AND 50 THEN b.parent_bag_count ELSE greatest(1, least(50, coalesce(k.parents, 0))) END AS declared_capacity,
         lower(btrim(coalesce(b.status, ''))) = 'completed' AS finalized,
         coalesce(b.created_at, b.updated_at, now()) AS created_at, coalesce(b.updated_at, b.created_at, now()) AS updated_at
       FROM s_bill b JOIN t_bill tb ON tb.source_id = b.id
       LEFT JOIN t_bill_count k ON k.bill_source_id = b.id
       LEFT JOIN t_user u ON u.source_id = b.created_by_id;
       ALTER TABLE f_bill ADD COLUMN capacity int, ADD COLUMN status text;
       UPDATE f_bill SET capacity = greatest(declared_capacity, least(50, parents));
       UPDATE f_bill SET status = CASE WHEN finalized OR parents >= capacity THEN 'completed' WHEN parents = 0 THEN 'empty' ELSE 'in_progress' END`,
    ],
    anomaly(
      'bill_capacity_invalid',
      'bill',
      `SELECT source_id::text, bill_no, jsonb_build_object('parentBagCount', raw_capacity, 'capacity', capacity) FROM f_bill WHERE NOT existing AND (raw_capacity IS NULL OR raw_capacity NOT BETWEEN 1 AND 50)`,
    ),
    anomaly(
      'bill_over_capacity',
      'bill',
      `SELECT source_id::text, bill_no, jsonb_build_object('parents', parents, 'declaredCapacity', declared_capacity, 'capacity', capacity, 'aboveMaximum', parents > 50)
       FROM f_bill WHERE NOT existing AND parents > declared_capacity`,
    ),
    anomaly(
      'bill_status_unknown',
      'bill',
      `SELECT source_id::text, bill_no, jsonb_build_object('status', raw_status) FROM f_bill WHERE NOT existing AND lower(btrim(coalesce(raw_status, 'new'))) NOT IN ('new', 'processing', 'completed')`,
    ),
    anomaly(
      'bill_totals_differ',
      'bill',
      `SELECT source_id::text, bill_no, jsonb_build_object(
         'traitortrack', jsonb_build_object('totalChildBags', total_child_bags, 'totalWeightKg', total_weight_kg, 'expectedWeightKg', expected_weight_kg),
         'tracetrack', jsonb_build_object('totalChildBags', children, 'totalWeightKg', children, 'expectedWeightKg', parents * 30))
       FROM f_bill WHERE NOT existing AND (total_child_bags <> children OR total_weight_kg <> children OR expected_weight_kg <> parents * 30)`,
    ),
    anomaly('bill_user_unknown', 'bill', `SELECT source_id::text, bill_no, jsonb_build_object('userId', created_by_id) FROM f_bill WHERE NOT existing AND created_by_id IS NOT NULL AND NOT user_known`),

    // ---- TraitorTrack's audit trail, as history (actions prefixed "traitortrack.").
    anomaly(
      'audit_json_invalid',
      'audit_log',
      `SELECT id::text, NULL::text, jsonb_build_object('columns', json_problem) FROM s_audit WHERE json_problem IS NOT NULL`,
    ),
    anomaly(
      'audit_user_unknown',
      'audit_log',
      `SELECT a.id::text, NULL::text, jsonb_build_object('userId', a.user_id) FROM s_audit a WHERE a.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM t_user u WHERE u.source_id = a.user_id)`,
    ),

    // ---- rows kept raw: tables without a TraceTrack feature yet, and columns TraceTrack has no place for.
    [
      'raw rows',
      `CREATE TEMP TABLE f_raw ON COMMIT DROP AS
       SELECT r.source_table, r.source_id, r.row, coalesce(jsonb_object_agg(e.key, coalesce(to_jsonb(bag.qr), to_jsonb(bill.bill_no), to_jsonb(usr.username)))
           FILTER (WHERE coalesce(bag.qr, bill.bill_no, usr.username) IS NOT NULL), '{}'::jsonb) AS resolved
       FROM s_raw r
       LEFT JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(r.row) = 'object' THEN r.row ELSE '{}'::jsonb END) e ON true
       LEFT JOIN LATERAL (SELECT CASE WHEN e.value ~ '^[0-9]{1,18}$' THEN e.value::bigint END AS n) v ON true
       LEFT JOIN t_alias al ON e.key ~ 'bag_id$' AND al.id = v.n
       LEFT JOIN c_bag bag ON e.key ~ 'bag_id$' AND bag.id = coalesce(al.cid, v.n)
       LEFT JOIN t_bill bill ON e.key ~ '(^|_)bill_id$' AND bill.source_id = v.n
       LEFT JOIN t_user usr ON (e.key ~ '(^|_)user_id$' OR e.key ~ '_by(_id)?$') AND usr.source_id = v.n
       GROUP BY r.source_table, r.source_id, r.row;
       INSERT INTO f_raw
       SELECT 'user', u.id::text, jsonb_build_object('email', u.email), jsonb_build_object('username', t.username)
       FROM s_user u JOIN t_user t ON t.source_id = u.id WHERE btrim(coalesce(u.email, '')) <> '';
       INSERT INTO f_raw
       SELECT 'bag', b.id::text, jsonb_strip_nulls(jsonb_build_object('qr_id', b.qr_id, 'name', nullif(btrim(b.name), ''), 'weight_kg', b.weight_kg)),
         jsonb_build_object('qr', f.qr)
       FROM (SELECT * FROM s_bag WHERE btrim(coalesce(name, '')) <> '' OR (weight_kg IS NOT NULL AND (weight_kg <> 1 OR type IS DISTINCT FROM 'child'))) b
       LEFT JOIN t_alias a ON a.id = b.id JOIN f_bag f ON f.id = ${canonical('b.id', 'a')}
       WHERE btrim(coalesce(b.name, '')) <> ''
          OR (b.weight_kg IS NOT NULL AND b.weight_kg <> CASE WHEN f.type = 'parent' THEN f.child_count ELSE 1 END)`,
    ],
  ];
}
