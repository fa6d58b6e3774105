// SQL shared by the flush statements that key rows by event id (link_events.event_id, scans.scan_id):
//  - rows queued before ids were scoped (see event-ids.ts) get their scoped id, unless Postgres already holds
//    that very event under the bare id (it was flushed before the deploy and this is a replay);
//  - a row whose id Postgres (or an earlier row of the same batch) already holds for a *different* event is
//    not applied but recorded in flush_conflicts as 'event_id_reused' and returned, never dropped silently.
// A replay of the same event under the same id stays what it always was: a no-op.
import { sql, type SQL } from 'drizzle-orm';
import { isScopedEventId, scopedEventId } from './event-ids';
import { arrayParam } from './sql-arrays';

/** A table keyed by event id, with the columns that make up "the same event" (the payload compared). */
export interface EventTable {
  table: 'link_events' | 'scans';
  idColumn: 'event_id' | 'scan_id';
  payloadColumns: readonly string[];
}

export const LINK_EVENTS: EventTable = {
  table: 'link_events',
  idColumn: 'event_id',
  payloadColumns: ['kind', 'child_qr', 'parent_qr', 'at', 'user_id', 'reason'],
};

export const SCANS: EventTable = {
  table: 'scans',
  idColumn: 'scan_id',
  payloadColumns: ['parent_qr', 'child_qr', 'user_id', 'area_id', 'result', 'error_code', 'created_at'],
};

/** The ids a batch's rows are flushed under, the bare ids of rows queued before scoping, and both together. */
export interface BatchIds {
  ids: SQL;
  legacy: SQL;
  candidates: SQL;
}

export function batchIds<T>(rows: readonly T[], idOf: (row: T) => string, scopeOf: (row: T) => string): BatchIds {
  const ids: string[] = [];
  const legacy: Array<string | null> = [];
  for (const row of rows) {
    const id = idOf(row);
    const scoped = isScopedEventId(id);
    ids.push(scoped ? id : scopedEventId(scopeOf(row), id));
    legacy.push(scoped ? null : id);
  }
  return {
    ids: arrayParam(ids, 'text[]'),
    legacy: arrayParam(legacy, 'text[]'),
    candidates: arrayParam([...ids, ...legacy.filter((id): id is string => id !== null)], 'text[]'),
  };
}

function payload(t: EventTable, alias: string): SQL {
  return sql.raw(`jsonb_build_object(${t.payloadColumns.map((c) => `'${c}', ${alias}.${c}`).join(', ')})`);
}

/**
 * Reads CTE `given` (the unnested batch: `id` scoped, `legacy_id`, the payload columns, any others, `ord`) and defines:
 * `raw` (every row, under the id it is flushed with, plus its payload), `stored` (what Postgres holds under
 * these ids), `reused` (rows whose id already names another event) and `input` (the rows to apply: first
 * occurrence of each id, reused ones left out). The statement then inserts `input` and adds refusedCtes.
 *
 * Plan safety (see linkChangesStatement): the table is read once, by `= ANY(array)`; CTEs meet only in hashed
 * IN subplans, or in a correlated lookup evaluated for reused rows alone. (A per-row EXISTS on the table was
 * planned as a sequential scan per row on a small table: 3x slower flushes in bench:flush.)
 */
export function eventIdCtes(t: EventTable, ids: BatchIds): SQL {
  const id = sql.raw(t.idColumn);
  const table = sql.raw(t.table);
  return sql`stored AS (
  SELECT e.${id}, ${payload(t, 'e')} AS payload FROM ${table} e WHERE e.${id} = ANY(${ids.candidates})
),
raw AS (
  SELECT CASE
      WHEN g.legacy_id IS NULL THEN g.id
      WHEN (g.legacy_id, ${payload(t, 'g')}) IN (SELECT ${id}, payload FROM stored) THEN g.legacy_id
      ELSE g.id
    END AS ${id}, g.*, ${payload(t, 'g')} AS payload
  FROM given g
),
known AS (
  SELECT ${id}, payload FROM stored
  UNION ALL
  SELECT * FROM (SELECT DISTINCT ON (${id}) ${id}, payload FROM raw ORDER BY ${id}, ord) f
  WHERE CASE WHEN f.${id} IN (SELECT ${id} FROM stored) THEN false ELSE true END
),
reused AS (
  SELECT r.*, (SELECT k.payload FROM known k WHERE k.${id} = r.${id} LIMIT 1) AS stored_payload
  FROM raw r
  WHERE CASE WHEN (r.${id}, r.payload) IN (SELECT ${id}, payload FROM known) THEN false ELSE true END
),
input AS (
  SELECT DISTINCT ON (${id}) * FROM raw
  WHERE CASE WHEN ord IN (SELECT ord FROM reused) THEN false ELSE true END
  ORDER BY ${id}, ord
)`;
}

/**
 * After the INSERT (CTE `inserted`, returning the id column): `refused` = the reused rows plus rows of `input`
 * that neither went in nor were there before, i.e. another flush committed a different event under the id
 * meanwhile; all are recorded in flush_conflicts.
 */
export function refusedCtes(t: EventTable, inserted: string): SQL {
  if (!/^[a-z_]+$/.test(inserted)) throw new Error(`refusedCtes: bad CTE name ${inserted}`);
  const id = sql.raw(t.idColumn);
  return sql`refused AS (
  SELECT * FROM reused
  UNION ALL
  SELECT i.*, NULL::jsonb FROM input i
  WHERE CASE WHEN i.${id} IN (SELECT ${id} FROM ${sql.raw(inserted)}) THEN false WHEN i.${id} IN (SELECT ${id} FROM stored) THEN false ELSE true END
),
refused_recorded AS (
  INSERT INTO flush_conflicts (event_id, kind, child_qr, parent_qr, existing_parent_qr, detail, refused_hash)
  SELECT ${id}, 'event_id_reused', child_qr, parent_qr, stored_payload->>'parent_qr',
    jsonb_build_object('table', ${t.table}::text, 'stored', stored_payload, 'refused', payload), md5(${t.table}::text || payload::text)
  FROM refused
  ON CONFLICT (event_id, kind, refused_hash) DO NOTHING
  RETURNING 1
)`;
}

/**
 * Conflict rows for the statement's answer: the ids refused now, and every conflict recorded earlier for this
 * batch's ids that `recordedFilter` keeps (a replay answers the same). Columns as flush.ts reads them.
 */
export function refusedConflictRows(t: EventTable, ids: BatchIds, recordedFilter: SQL): SQL {
  const id = sql.raw(t.idColumn);
  return sql`SELECT ${id} AS event_id, 'event_id_reused'::text AS kind, child_qr, parent_qr, stored_payload->>'parent_qr' AS existing_parent_qr,
  jsonb_build_object('table', ${t.table}::text, 'stored', stored_payload, 'refused', payload) AS detail, md5(${t.table}::text || payload::text) AS refused_hash
FROM refused
UNION ALL
SELECT fc.event_id, fc.kind, fc.child_qr, fc.parent_qr, fc.existing_parent_qr, fc.detail, fc.refused_hash
FROM flush_conflicts fc WHERE fc.event_id = ANY(${ids.candidates}) AND (${recordedFilter})`;
}

/** Recorded conflicts a statement over `t` answers for: its own reused ids. */
export function reusedIn(t: EventTable): SQL {
  return sql`fc.kind = 'event_id_reused' AND fc.detail->>'table' = ${t.table}::text`;
}
