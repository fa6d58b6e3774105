// Counters derived from scratch: the truth the flush's incremental counters must equal, and the repair
// when they are in doubt (imports, disaster recovery).
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, runAtomic, type Db } from './client';
import { DEFAULT_TIME_ZONE, localHour, scopesAndPeriods } from './counter-sql';

export type CounterRow = {
  name: string;
  scope: string;
  period: string;
  value: number;
};

/**
 * SELECT name, scope, period, value for every non-zero counter, recomputed from the tables. Rows are first
 * summed per name, area and local hour (a few thousand groups for millions of rows), and only those sums are
 * expanded to scopes and periods by the same fragment as the flush's increments (counter-sql.ts).
 */
export function recountQuery(timeZone: string): SQL {
  return sql`WITH deltas AS (
  SELECT CASE WHEN type = 'parent' THEN 'parents' ELSE 'children' END AS name, area_id, created_at AS ts, 1 AS lvl FROM bags
  UNION ALL SELECT 'links', p.area_id, NULL::timestamptz, 0 FROM links l JOIN bags p ON p.qr = l.parent_qr
  UNION ALL SELECT 'scans', area_id, created_at, 2 FROM scans
  UNION ALL SELECT 'scans_' || result, area_id, created_at, 2 FROM scans
  UNION ALL SELECT 'bills', NULL::int, created_at, 1 FROM bills
  UNION ALL SELECT 'bills_completed', NULL::int, NULL::timestamptz, 0 FROM bills WHERE status = 'completed'
),
hourly AS (
  SELECT name, area_id, lvl, ${localHour(timeZone)}, count(*) AS n
  FROM deltas GROUP BY 1, 2, 3, 4
)
SELECT h.name, s.scope, p.period, sum(h.n)::float8 AS value
FROM hourly h
${scopesAndPeriods}
GROUP BY 1, 2, 3`;
}

export async function recountCounters(db: Db, timeZone = DEFAULT_TIME_ZONE): Promise<CounterRow[]> {
  const rows = await queryRows<CounterRow>(db, recountQuery(timeZone));
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

/** Replaces every counter (all slots) with its recount in slot 0, atomically. Heavy (scans whole tables): for repairs only. */
export async function rebuildCounters(db: Db, timeZone = DEFAULT_TIME_ZONE): Promise<void> {
  await runAtomic(db, [
    sql`DELETE FROM counters`,
    sql`INSERT INTO counters (name, scope, period, value) SELECT name, scope, period, value::bigint FROM (${recountQuery(timeZone)}) r`,
  ]);
}

/**
 * Counters that differ from a recount, as (name, scope, period, stored, recounted), compared in ONE
 * statement so both sides see the same snapshot even while flushes run. Empty means exact.
 */
export async function counterMismatches(
  db: Db,
  timeZone = DEFAULT_TIME_ZONE,
): Promise<Array<CounterRow & { recounted: number }>> {
  const rows = await queryRows<CounterRow & { recounted: number }>(
    db,
    sql`SELECT coalesce(c.name, r.name) AS name, coalesce(c.scope, r.scope) AS scope, coalesce(c.period, r.period) AS period,
      coalesce(c.value, 0)::float8 AS value, coalesce(r.value, 0)::float8 AS recounted
    FROM (SELECT name, scope, period, sum(value) AS value FROM counters GROUP BY 1, 2, 3 HAVING sum(value) <> 0) c
    FULL JOIN (${recountQuery(timeZone)}) r ON r.name = c.name AND r.scope = c.scope AND r.period = c.period
    WHERE coalesce(c.value, 0) <> coalesce(r.value, 0)
    ORDER BY 1, 2, 3`,
  );
  return rows.map((r) => ({ ...r, value: Number(r.value), recounted: Number(r.recounted) }));
}
