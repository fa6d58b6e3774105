// Turns a `deltas` CTE into counter increments. Every statement of the flush ends with exactly one counters
// upsert fed only by rows that statement actually inserted or deleted, so replays add nothing and a single
// INSERT never touches the same counter row twice (GROUP BY merges them first: one row per counter key per
// statement, however many rows the batch has). A counter is kept in up to COUNTER_SLOTS rows (`slot`), summed
// on read: each flush queue shard adds to its own slot, so concurrent shards do not queue on one hot row.
import { sql, type SQL } from 'drizzle-orm';

export const DEFAULT_TIME_ZONE = 'Asia/Kolkata';

/**
 * Rows a counter may be spread over (slot 0 … COUNTER_SLOTS-1). Flush queue shard i writes slot
 * i % COUNTER_SLOTS; bills, returns, recounts and imports write slot 0. Readers sum over slots.
 */
export const COUNTER_SLOTS = 16;

/** The counter slot of flush queue shard `shard` (any integer; out-of-range values wrap). */
export function counterSlot(shard: number): number {
  return ((Math.trunc(shard) % COUNTER_SLOTS) + COUNTER_SLOTS) % COUNTER_SLOTS;
}

/**
 * Every counter name, with the periods it is kept for (scope 'all' and 'area:<id>' when the row has an area).
 * The flush (and the bills flush) must keep each one equal to what `recountCounters` derives from the tables.
 */
export const COUNTER = {
  /** Parent bags created (total, per local day). */
  parents: 'parents',
  /** Child bags created (total, per local day). */
  children: 'children',
  /** Children currently in a parent (total only; +1 link, −1 unlink/undo), by the parent's area. */
  links: 'links',
  /** Scans recorded, and per result (total, per local day and hour). */
  scans: 'scans',
  scansLinked: 'scans_linked',
  scansDuplicate: 'scans_duplicate',
  scansRejected: 'scans_rejected',
  /**
   * Bills created (total, per local day; scope 'all' only: bills have no area). Maintained by the bills
   * flush: +1 when a bills row is inserted.
   */
  bills: 'bills',
  /**
   * Bills whose status is 'completed' right now (total only, scope 'all'). Maintained by the bills flush:
   * +1 when a bill's status becomes 'completed', −1 when it leaves 'completed' (a parent removed, a reopen).
   * Open bills = bills − bills_completed.
   */
  billsCompleted: 'bills_completed',
} as const;

/**
 * Where a per-hour sum `h(name, area_id, lvl, local_hour, …)` counts: scope 'all' and, when it has an area,
 * 'area:<id>'; period 'total', and the local day (lvl ≥ 1) and hour (lvl 2). Rows `s.scope`, `p.period`.
 * One fragment for the flush's increments and the recount from scratch (counters.ts), which must agree.
 */
export const scopesAndPeriods = sql`CROSS JOIN LATERAL (VALUES ('all'), ('area:' || h.area_id)) AS s(scope)
  CROSS JOIN LATERAL (VALUES
    ('total', 0),
    (to_char(h.local_hour, 'YYYY-MM-DD'), 1),
    (to_char(h.local_hour, 'YYYY-MM-DD"T"HH24'), 2)
  ) AS p(period, lvl)
  WHERE s.scope IS NOT NULL AND p.lvl <= h.lvl`;

/** The local hour (in `timeZone`) a delta's time `ts` falls in, as `local_hour`. */
export const localHour = (timeZone: string): SQL => sql`date_trunc('hour', ts AT TIME ZONE ${timeZone}::text) AS local_hour`;

/**
 * SQL for a CTE named `counted`, reading a CTE `deltas(name, area_id, ts, d, lvl)` where lvl says which periods
 * the delta feeds: 0 → 'total'; 1 → also the day; 2 → also the hour (in `timeZone`). Each delta counts for
 * scope 'all' and, when area_id is set, for 'area:<id>'.
 */
export function countedCte(timeZone: string, slot = 0): SQL {
  // Deltas are first summed per local hour (a handful of rows), then expanded to scopes and periods.
  return sql`counted AS (
  INSERT INTO counters (name, scope, period, slot, value)
  SELECT h.name, s.scope, p.period, ${sql.raw(String(counterSlot(slot)))}::int2, sum(h.d)::bigint
  FROM (
    SELECT name, area_id, lvl, ${localHour(timeZone)}, sum(d) AS d
    FROM deltas GROUP BY 1, 2, 3, 4
  ) h
  ${scopesAndPeriods}
  GROUP BY 1, 2, 3
  HAVING sum(h.d) <> 0
  -- Flushes of shards that share a slot touch the same counter rows: lock them in one fixed order so
  -- they wait for each other instead of deadlocking.
  ORDER BY 1, 2, 3
  ON CONFLICT (name, scope, period, slot) DO UPDATE SET value = counters.value + excluded.value
  RETURNING 1
)`;
}
