// The set-based statements one flush runs, in order, inside one transaction (postgres.js) or one batch
// (neon-http). Each takes whole columns as single array parameters (see sql-arrays.ts), so the parameter
// count is fixed whatever the number of rows.
import { sql, type SQL } from 'drizzle-orm';
import { countedCte } from './counter-sql';
import { batchIds, eventIdCtes, LINK_EVENTS, refusedConflictRows, refusedCtes, reusedIn, SCANS } from './event-id-sql';
import type { LinkChange, ParentSnapshot, ScanRecord } from './flush-types';
import { arrayParam } from './sql-arrays';

/** A parent row to upsert: the snapshot, or a stub (version -1) for a parent a link names but no snapshot. */
interface ParentRow {
  qr: string;
  areaId: number | null;
  status: 'open' | 'completed';
  childCount: number;
  createdBy: number | null;
  createdAt: string;
  completedAt: string | null;
  completedBy: number | null;
  version: number;
}

/** The snapshot plus stubs, so links never point at a parent bag that is not there yet. */
export function parentRows(snapshots: readonly ParentSnapshot[], changes: readonly LinkChange[]): ParentRow[] {
  const rows = new Map<string, ParentRow>();
  // One row per parent: the newest snapshot wins (a statement may not update a row twice).
  for (const snapshot of snapshots) {
    const seen = rows.get(snapshot.qr);
    if (!seen || seen.version < snapshot.version) rows.set(snapshot.qr, { ...snapshot, completedBy: snapshot.completedBy ?? null });
  }
  for (const c of changes) {
    if (c.kind !== 'link' || rows.has(c.parentQr)) continue;
    rows.set(c.parentQr, {
      qr: c.parentQr,
      areaId: c.areaId,
      status: 'open',
      childCount: 0,
      createdBy: c.userId,
      createdAt: c.at,
      completedAt: null,
      completedBy: null,
      version: -1,
    });
  }
  return [...rows.values()];
}

/**
 * Inserts parents that are new, replaces a parent only with a newer version of itself (never a child bag of
 * the same QR), and counts parents actually inserted.
 */
export function parentsStatement(rows: readonly ParentRow[], timeZone: string, slot = 0): SQL {
  return sql`WITH input AS (
  SELECT * FROM unnest(
    ${arrayParam(rows.map((r) => r.qr), 'text[]')},
    ${arrayParam(rows.map((r) => r.areaId), 'int4[]')},
    ${arrayParam(rows.map((r) => r.status), 'text[]')},
    ${arrayParam(rows.map((r) => r.childCount), 'int4[]')},
    ${arrayParam(rows.map((r) => r.createdBy), 'int4[]')},
    ${arrayParam(rows.map((r) => r.createdAt), 'timestamptz[]')},
    ${arrayParam(rows.map((r) => r.completedAt), 'timestamptz[]')},
    ${arrayParam(rows.map((r) => r.version), 'int8[]')},
    ${arrayParam(rows.map((r) => r.completedBy), 'int4[]')}
  ) AS t(qr, area_id, status, child_count, created_by, created_at, completed_at, version, completed_by)
),
up AS (
  INSERT INTO bags AS b (qr, type, area_id, status, child_count, created_by, created_at, updated_at, completed_at, version)
  SELECT qr, 'parent', area_id, status, child_count, created_by, created_at, created_at, completed_at, version FROM input
  -- Rows are locked in QR order, the same in every flush, so concurrent flushes cannot deadlock.
  ORDER BY qr
  ON CONFLICT (qr) DO UPDATE SET
    status = excluded.status, child_count = excluded.child_count, completed_at = excluded.completed_at,
    version = excluded.version, updated_at = now()
  WHERE b.version < excluded.version AND b.type = 'parent'
  RETURNING b.qr, b.area_id, b.created_at, b.created_by, (b.xmax = 0) AS inserted
),
-- Audit rows for parents opened and completed, keyed by event ids derived from the facts themselves, so a
-- replayed or repeated snapshot adds nothing (a parent reopened and completed again gets a new row, and so
-- does a label opened again after an admin deleted it: its creation time differs).
parent_audit AS (
  INSERT INTO audit_log (at, actor_id, actor_username, action, entity_type, entity_id, before, after, event_id)
  SELECT a.at, a.actor_id, u.username, a.action, 'bag', a.qr, NULL, a.after, a.event_id
  FROM (
    SELECT created_at AS at, created_by AS actor_id, 'parent.open'::text AS action, qr,
      jsonb_build_object('type', 'parent', 'areaId', area_id) AS after,
      -- The opening time is part of the id: a label an admin deleted and someone opened again is a new open.
      'open:' || qr || ':' || (extract(epoch FROM created_at) * 1000)::bigint AS event_id
    FROM up WHERE inserted
    UNION ALL
    SELECT completed_at, completed_by, 'parent.complete', qr, jsonb_build_object('status', 'completed', 'childCount', child_count),
      'complete:' || qr || ':' || (extract(epoch FROM completed_at) * 1000)::bigint
    FROM input WHERE status = 'completed' AND completed_at IS NOT NULL AND version >= 0
  ) a
  LEFT JOIN users u ON u.id = a.actor_id
  ON CONFLICT (event_id) DO NOTHING
),
deltas AS (
  SELECT 'parents'::text AS name, area_id, created_at AS ts, 1 AS d, 1 AS lvl FROM up WHERE inserted
),
${countedCte(timeZone, slot)}
SELECT count(*)::int AS parents_inserted FROM up WHERE inserted`;
}

/**
 * Applies link/unlink events. Every event is stored once (link_events) with its audit row; each child's state
 * is then decided by its newest event: the batch's last new one (queue order), unless Postgres already holds
 * a newer one by time, which another flush queue shard brought first (a changed FLUSH_SHARDS: the old count's
 * shard may flush late). So link → undo → link in one batch ends linked, an older event arriving late changes
 * nothing, and rows are never modified twice in one statement. A link into a parent while Postgres has the
 * child in another is a move when that other parent's unlink (after its link) is known, stored or in this
 * batch; otherwise it is refused (a QR of the wrong role too), recorded in flush_conflicts and returned,
 * together with conflicts already recorded for events of this batch, so a replay answers the same. A stored
 * link refused that way is applied when the late unlink comes, and its conflict resolved.
 *
 * Plan safety: CTE row estimates are tiny whatever the batch size, so a join between two CTEs, or an
 * UPDATE … FROM a CTE, may be planned as a nested loop and turn quadratic (seen: 19 s for 5,000 rows after a
 * TRUNCATE). Hence bags are looked up by `qr = ANY(array)` index scans, membership tests are NOT IN / IN
 * subplans (hashed), and child status changes go through INSERT … ON CONFLICT, whose arbiter is the index.
 */
export function linkChangesStatement(changes: readonly LinkChange[], timeZone: string, slot = 0): SQL {
  const area = (c: LinkChange) => (c.kind === 'link' ? c.areaId : null);
  const reason = (c: LinkChange) => (c.kind === 'unlink' ? c.reason : null);
  const parentQrs = [...new Set(changes.map((c) => c.parentQr))];
  const childQrs = [...new Set(changes.map((c) => c.childQr))];
  const ids = batchIds(changes, (c) => c.eventId, (c) => c.parentQr);
  return sql`WITH given AS (
  SELECT * FROM unnest(
    ${ids.ids},
    ${ids.legacy},
    ${arrayParam(changes.map((c) => c.kind), 'text[]')},
    ${arrayParam(changes.map((c) => c.childQr), 'text[]')},
    ${arrayParam(changes.map((c) => c.parentQr), 'text[]')},
    ${arrayParam(changes.map((c) => c.at), 'timestamptz[]')},
    ${arrayParam(changes.map((c) => c.userId), 'int4[]')},
    ${arrayParam(changes.map(area), 'int4[]')},
    ${arrayParam(changes.map(reason), 'text[]')},
    ${arrayParam(changes.map((c) => c.requestId ?? null), 'text[]')}
  ) WITH ORDINALITY AS t(id, legacy_id, kind, child_qr, parent_qr, at, user_id, area_id, reason, request_id, ord)
),
${eventIdCtes(LINK_EVENTS, ids)},
parent_bags AS (
  SELECT qr, area_id FROM bags WHERE qr = ANY(${arrayParam(parentQrs, 'text[]')}) AND type = 'parent'
),
existing_bags AS (
  SELECT qr, type FROM bags WHERE qr = ANY(${arrayParam(childQrs, 'text[]')})
),
parent_qr_as_child AS (SELECT qr FROM existing_bags WHERE type = 'parent'),
new_events AS (
  INSERT INTO link_events (event_id, kind, child_qr, parent_qr, at, user_id, reason)
  SELECT event_id, kind, child_qr, parent_qr, at, user_id, reason FROM input ORDER BY ord
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id
),
${refusedCtes(LINK_EVENTS, 'new_events')},
last_new AS (
  SELECT DISTINCT ON (child_qr) * FROM input
  WHERE CASE WHEN event_id IN (SELECT event_id FROM new_events) THEN true ELSE false END
  ORDER BY child_qr, ord DESC
),
-- Each child's newest event Postgres held before this statement. Another queue may have brought it (a
-- changed FLUSH_SHARDS routes a child's later events to another shard, whose batch can commit first): an
-- event older than it must not undo it, so the newest event by time decides, whichever queue brings it
-- (ties: the later arrival, i.e. queue order within one shard).
stored_last AS (
  SELECT DISTINCT ON (child_qr) child_qr, kind, parent_qr, at, user_id, event_id
  -- The batch's children as an array built once (an index scan, no extra bind parameter).
  FROM link_events WHERE child_qr = ANY(ARRAY(SELECT child_qr FROM given))
  ORDER BY child_qr, at DESC, event_id DESC
),
decided AS (
  SELECT j.child_qr, j.fresh,
    CASE WHEN j.fresh THEN j.n_kind ELSE j.s_kind END AS kind,
    CASE WHEN j.fresh THEN j.n_parent ELSE j.s_parent END AS parent_qr,
    CASE WHEN j.fresh THEN j.n_at ELSE j.s_at END AS at,
    CASE WHEN j.fresh THEN j.n_user ELSE j.s_user END AS user_id,
    CASE WHEN j.fresh THEN j.n_event ELSE j.s_event END AS event_id
  FROM (
    -- FULL JOIN: hash or merge join only (see above).
    SELECT coalesce(n.child_qr, s.child_qr) AS child_qr,
      (n.child_qr IS NOT NULL AND (s.child_qr IS NULL OR n.at >= s.at)) AS fresh,
      n.kind AS n_kind, n.parent_qr AS n_parent, n.at AS n_at, n.user_id AS n_user, n.event_id AS n_event,
      s.kind AS s_kind, s.parent_qr AS s_parent, s.at AS s_at, s.user_id AS s_user, s.event_id AS s_event
    FROM last_new n FULL JOIN stored_last s ON s.child_qr = n.child_qr
  ) j
),
-- The links rows of this batch's children, and its unlinks, as maps read by key (one index scan each, no
-- CTE join that could be planned as a nested loop).
cur_links AS (
  SELECT coalesce(jsonb_object_agg(child_qr, jsonb_build_array(parent_qr, linked_at)), '{}'::jsonb) AS m
  FROM links WHERE child_qr = ANY(ARRAY(SELECT child_qr FROM given))
),
batch_unlinks AS (
  SELECT coalesce(jsonb_object_agg(child_qr, parents), '{}'::jsonb) AS m FROM (
    SELECT child_qr, jsonb_object_agg(parent_qr, at) AS parents FROM (
      SELECT child_qr, parent_qr, max(at) AS at FROM input WHERE kind = 'unlink' GROUP BY 1, 2
    ) u GROUP BY 1
  ) c
),
-- Links rows of this batch's children that are over: Postgres knows an unlink of that child from that parent
-- at or after the link (stored, or new in this batch). A row that is over goes, whatever else the batch does;
-- one that is not can only be replaced by a move (below) or stays (a real conflict, e.g. imported).
dead AS (
  SELECT c.child_qr, c.parent_qr, c.unlink_at FROM (
    SELECT l.child_qr, l.parent_qr, l.linked_at,
      greatest(
        ((SELECT m FROM batch_unlinks) -> l.child_qr ->> l.parent_qr)::timestamptz,
        (SELECT max(e.at) FROM link_events e WHERE e.child_qr = l.child_qr AND e.parent_qr = l.parent_qr AND e.kind = 'unlink')
      ) AS unlink_at
    FROM links l WHERE l.child_qr = ANY(ARRAY(SELECT child_qr FROM given))
  ) c
  WHERE c.unlink_at >= c.linked_at
),
wanted AS (
  SELECT * FROM (
    SELECT d.*, (SELECT m FROM cur_links) -> d.child_qr ->> 0 AS cur_parent,
      ((SELECT m FROM cur_links) -> d.child_qr ->> 1)::timestamptz AS cur_linked_at
    FROM decided d WHERE d.kind = 'link'
  ) w
  -- A newest link already in place (a replay, a stale event) is left alone.
  WHERE fresh OR cur_parent IS DISTINCT FROM parent_qr
),
-- Parents of stored links that may be applied now (a late unlink freed their child): not named by this batch.
late_parent_bags AS (
  SELECT qr, area_id FROM bags
  WHERE qr = ANY(ARRAY(SELECT parent_qr FROM wanted WHERE NOT fresh)) AND type = 'parent'
),
allowed AS (
  SELECT * FROM wanted
  WHERE CASE WHEN parent_qr IN (SELECT qr FROM parent_bags) THEN true WHEN parent_qr IN (SELECT qr FROM late_parent_bags) THEN true ELSE false END
    AND child_qr NOT IN (SELECT qr FROM parent_qr_as_child)
    -- In no parent, in this one, or in one it has left (a move); otherwise a conflict.
    AND CASE WHEN cur_parent IS NULL OR cur_parent = parent_qr THEN true WHEN child_qr IN (SELECT child_qr FROM dead) THEN true ELSE false END
),
upserted AS (
  INSERT INTO links AS l (child_qr, parent_qr, linked_at, linked_by, event_id)
  SELECT child_qr, parent_qr, at, user_id, event_id FROM allowed
  ON CONFLICT (child_qr) DO UPDATE SET
    parent_qr = excluded.parent_qr, linked_at = excluded.linked_at, linked_by = excluded.linked_by, event_id = excluded.event_id
  RETURNING l.child_qr, l.parent_qr, l.linked_at, (l.xmax = 0) AS inserted
),
removed AS (
  -- Rows that are over and not replaced by a link above. Few per batch; the ANY() keeps links an index scan.
  DELETE FROM links l
  USING dead d
  WHERE l.child_qr = ANY(ARRAY(SELECT child_qr FROM dead)) AND l.child_qr = d.child_qr
    AND CASE WHEN l.child_qr IN (SELECT child_qr FROM allowed) THEN false ELSE true END
  RETURNING l.child_qr, l.parent_qr, d.unlink_at AS at
),
-- A link refused because its child still sat in a parent it had in fact left by then (that unlink came late,
-- through another queue) was no conflict: resolved, whether the link is applied now or a newer event won.
explained AS (
  UPDATE flush_conflicts fc SET resolved_at = now()
  FROM dead d
  WHERE fc.kind = 'child_in_other_parent' AND fc.resolved_at IS NULL
    AND fc.child_qr = d.child_qr AND fc.existing_parent_qr = d.parent_qr
    AND (SELECT e.at FROM link_events e WHERE e.event_id = fc.event_id) >= d.unlink_at
  RETURNING 1
),
-- Parents a child leaves (not necessarily named by this batch), for their area's counter.
left_bags AS (
  SELECT qr, area_id FROM bags WHERE qr = ANY(ARRAY(SELECT parent_qr FROM dead))
),
scan_audit AS (
  INSERT INTO audit_log (at, actor_id, actor_username, action, entity_type, entity_id, before, after, event_id, request_id)
  SELECT i.at, i.user_id, u.username,
    CASE WHEN i.kind = 'link' THEN 'scan.link' WHEN i.reason = 'undo' THEN 'scan.undo' ELSE 'scan.unlink' END,
    'bag', i.child_qr,
    CASE WHEN i.kind = 'unlink' THEN jsonb_build_object('parentQr', i.parent_qr) END,
    CASE WHEN i.kind = 'link' THEN jsonb_build_object('parentQr', i.parent_qr) ELSE jsonb_build_object('parentQr', NULL) END,
    i.kind || ':' || i.event_id, i.request_id
  FROM input i LEFT JOIN users u ON u.id = i.user_id
  ORDER BY i.ord
  ON CONFLICT (event_id) DO NOTHING
),
status_changes AS (
  SELECT child_qr, 'linked'::text AS status, linked_at AS at FROM upserted
  UNION ALL SELECT child_qr, 'unlinked'::text, at FROM removed
),
first_links AS (
  -- Bags to create: children first linked here. Existing bags come in only through status_changes, so the
  -- upsert below never touches a bag whose state this batch did not change (replays stay no-ops).
  SELECT DISTINCT ON (child_qr) child_qr, area_id, user_id, at FROM input
  WHERE kind = 'link' AND CASE WHEN child_qr IN (SELECT qr FROM existing_bags) THEN false ELSE true END
  ORDER BY child_qr, ord
),
bag_rows AS (
  -- FULL JOIN can only be planned as a hash or merge join: never a quadratic nested loop.
  SELECT coalesce(f.child_qr, c.child_qr) AS qr, f.area_id, f.user_id,
    coalesce(f.at, c.at) AS created_at, coalesce(c.status, 'unlinked') AS status,
    coalesce(c.at, f.at) AS updated_at
  FROM first_links f
  FULL JOIN status_changes c ON c.child_qr = f.child_qr
),
child_bags AS (
  INSERT INTO bags AS b (qr, type, area_id, status, child_count, created_by, created_at, updated_at, version)
  SELECT qr, 'child', area_id, status, 0, user_id, created_at, updated_at, 0 FROM bag_rows
  ON CONFLICT (qr) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
  WHERE b.type = 'child' AND b.status <> excluded.status
  RETURNING b.area_id, b.created_at, (b.xmax = 0) AS inserted
),
conflicts AS (
  -- Only this batch's own newest links: a stored one refused before is not recorded again.
  SELECT w.event_id, w.child_qr, w.parent_qr, w.cur_parent AS existing_parent_qr
  FROM wanted w
  WHERE w.fresh AND w.child_qr NOT IN (SELECT child_qr FROM upserted)
),
recorded AS (
  INSERT INTO flush_conflicts (event_id, child_qr, parent_qr, existing_parent_qr)
  SELECT event_id, child_qr, parent_qr, existing_parent_qr FROM conflicts
  ON CONFLICT (event_id, kind, refused_hash) DO NOTHING
  RETURNING 1
),
link_deltas AS (
  -- Every allowed row is written: +1 where the child was in no parent or another one, -1 for that other one.
  SELECT parent_qr, sum(d) AS d FROM (
    SELECT parent_qr, 1 AS d FROM allowed WHERE cur_parent IS DISTINCT FROM parent_qr
    UNION ALL SELECT cur_parent, -1 FROM allowed WHERE cur_parent IS NOT NULL AND cur_parent <> parent_qr
    UNION ALL SELECT parent_qr, -1 FROM removed
  ) x GROUP BY parent_qr
),
deltas AS (
  SELECT 'children'::text AS name, area_id, created_at AS ts, 1 AS d, 1 AS lvl FROM child_bags WHERE inserted
  UNION ALL
  -- Few parents per batch: this join is small whatever the plan.
  SELECT 'links', pb.area_id, NULL::timestamptz, ld.d::int, 0 FROM link_deltas ld
  JOIN (SELECT qr, area_id FROM parent_bags UNION SELECT qr, area_id FROM late_parent_bags UNION SELECT qr, area_id FROM left_bags) pb ON pb.qr = ld.parent_qr
),
${countedCte(timeZone, slot)}
SELECT event_id, 'child_in_other_parent'::text AS kind, child_qr, parent_qr, existing_parent_qr, NULL::jsonb AS detail, ''::text AS refused_hash
FROM conflicts
UNION ALL
${refusedConflictRows(LINK_EVENTS, ids, sql`fc.kind = 'child_in_other_parent' OR (${reusedIn(LINK_EVENTS)})`)}`;
}

/**
 * Records scans once each (scan_id) and counts them per result, area, day and hour. A scan id Postgres holds
 * for another scan is recorded as a conflict instead (event-id-sql.ts) and returned.
 */
export function scansStatement(scans: readonly ScanRecord[], timeZone: string, slot = 0): SQL {
  const ids = batchIds(scans, (s) => s.scanId, (s) => s.parentQr);
  return sql`WITH given AS (
  SELECT * FROM unnest(
    ${ids.ids},
    ${ids.legacy},
    ${arrayParam(scans.map((s) => s.parentQr), 'text[]')},
    ${arrayParam(scans.map((s) => s.childQr), 'text[]')},
    ${arrayParam(scans.map((s) => s.userId), 'int4[]')},
    ${arrayParam(scans.map((s) => s.areaId), 'int4[]')},
    ${arrayParam(scans.map((s) => s.result), 'text[]')},
    ${arrayParam(scans.map((s) => s.errorCode), 'text[]')},
    ${arrayParam(scans.map((s) => s.at), 'timestamptz[]')}
  ) WITH ORDINALITY AS t(id, legacy_id, parent_qr, child_qr, user_id, area_id, result, error_code, created_at, ord)
),
${eventIdCtes(SCANS, ids)},
ins AS (
  INSERT INTO scans (scan_id, parent_qr, child_qr, user_id, area_id, result, error_code, created_at)
  SELECT scan_id, parent_qr, child_qr, user_id, area_id, result, error_code, created_at FROM input ORDER BY ord
  ON CONFLICT (scan_id) DO NOTHING
  RETURNING scan_id, area_id, result, created_at
),
${refusedCtes(SCANS, 'ins')},
deltas AS (
  SELECT 'scans'::text AS name, area_id, created_at AS ts, 1 AS d, 2 AS lvl FROM ins
  UNION ALL
  SELECT 'scans_' || result, area_id, created_at, 1, 2 FROM ins
),
${countedCte(timeZone, slot)}
${refusedConflictRows(SCANS, ids, reusedIn(SCANS))}`;
}
