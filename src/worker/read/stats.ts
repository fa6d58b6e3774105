// The dashboard's figures, read ONLY from the counters table (kept exact by the flush), never by counting
// the big tables: every query here is a handful of primary-key lookups on counters.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { COUNTER } from '../../db/counter-sql';
import { arrayParam } from '../../db/sql-arrays';
import { hourPeriods, previousDate } from './local-time';
import { dayRange } from './params';

import type { AreaStats, Stats } from '../../shared/types';

export type { AreaStats, Stats };

interface CounterRow extends Record<string, unknown> {
  name: string;
  scope: string;
  period: string;
  value: string | number;
}

const TOTALS = [COUNTER.parents, COUNTER.children, COUNTER.links, COUNTER.bills, COUNTER.billsCompleted];
/** Counters read for today's period: scans, parents opened (created), rejected scans. */
const TODAY = [COUNTER.scans, COUNTER.parents, COUNTER.scansRejected];
/** Not counters: counted in the same statement, with these names so one lookup serves all rows. */
const COMPLETED_TODAY = '#completed_today';
const REJECTED_LAST_HOUR = '#rejected_last_hour';



/**
 * Totals, today's scans and per-area figures. `areaId` limits everything to one area (area-limited callers);
 * bills have no area and are always global. `active` are open sessions from the live boards.
 */
export async function readStats(
  db: Db,
  options: { today: string; timeZone: string; areaId?: number; active: { total: number; byArea: Record<string, number> } },
): Promise<Stats> {
  const { today, areaId } = options;
  // One round trip: the counters, the areas (a small table) as one extra row each, and two small counts.
  const all = await queryRows<CounterRow>(
    db,
    // A counter is the sum of its slots (counter-sql.ts).
    sql`SELECT name, scope, period, sum(value)::text AS value FROM counters
      WHERE (name = ANY(${arrayParam(TOTALS, 'text[]')}) AND period = 'total') OR (name = ANY(${arrayParam(TODAY, 'text[]')}) AND period = ${today})
      GROUP BY 1, 2, 3
      UNION ALL SELECT '#area', id::text, name, '0' FROM areas
      UNION ALL SELECT ${COMPLETED_TODAY}, 'area:' || area_id, ${today}, count(*)::text FROM bags
        WHERE type = 'parent' AND completed_at IS NOT NULL AND ${dayRange(sql`completed_at`, today, today, options.timeZone)} GROUP BY area_id
      UNION ALL SELECT ${REJECTED_LAST_HOUR}, 'area:' || coalesce(area_id::text, '-'), 'hour', count(*)::text FROM scans
        WHERE result = 'rejected' AND created_at > now() - interval '1 hour' GROUP BY area_id`,
  );
  const rows = all.filter((r) => r.name !== '#area');
  // Parents completed today and rejections of the last hour are counted per area above (each an index range
  // over one day's or one hour's rows: see the partial indexes in schema.ts); 'all' is their sum.
  for (const name of [COMPLETED_TODAY, REJECTED_LAST_HOUR]) {
    const sum = rows.filter((r) => r.name === name).reduce((acc, r) => acc + Number(r.value), 0);
    rows.push({ name, scope: 'all', period: name === COMPLETED_TODAY ? today : 'hour', value: sum });
  }
  const areas = all
    .filter((r) => r.name === '#area')
    .map((r) => ({ id: Number(r.scope), name: r.period }))
    .sort((a, b) => a.id - b.id);
  const value = (name: string, scope: string, period: string) =>
    Number(rows.find((r) => r.name === name && r.scope === scope && r.period === period)?.value ?? 0);
  const scopeOf = areaId === undefined ? 'all' : `area:${areaId}`;
  const dayFigures = (scope: string) => ({
    parentsOpenedToday: value(COUNTER.parents, scope, today),
    parentsCompletedToday: value(COMPLETED_TODAY, scope, today),
    rejectedToday: value(COUNTER.scansRejected, scope, today),
    rejectedLastHour: value(REJECTED_LAST_HOUR, scope, 'hour'),
  });
  const bills = value(COUNTER.bills, 'all', 'total');
  const completed = value(COUNTER.billsCompleted, 'all', 'total');
  const byArea = areas
    .filter((a) => areaId === undefined || a.id === areaId)
    .map((a) => {
      const scope = `area:${a.id}`;
      return {
        areaId: a.id,
        name: a.name,
        parents: value(COUNTER.parents, scope, 'total'),
        children: value(COUNTER.children, scope, 'total'),
        links: value(COUNTER.links, scope, 'total'),
        scansToday: value(COUNTER.scans, scope, today),
        activeSessions: options.active.byArea[String(a.id)] ?? 0,
        ...dayFigures(scope),
      };
    });
  return {
    parents: value(COUNTER.parents, scopeOf, 'total'),
    children: value(COUNTER.children, scopeOf, 'total'),
    links: value(COUNTER.links, scopeOf, 'total'),
    bills: { open: bills - completed, completed },
    scansToday: value(COUNTER.scans, scopeOf, today),
    activeSessions: areaId === undefined ? options.active.total : (options.active.byArea[String(areaId)] ?? 0),
    ...dayFigures(scopeOf),
    byArea,
    date: today,
    timeZone: options.timeZone,
  };
}

export interface HourlyDay {
  date: string;
  hours: Array<{ hour: number; scans: number; linked: number; duplicate: number; rejected: number }>;
}

const HOURLY = [COUNTER.scans, COUNTER.scansLinked, COUNTER.scansDuplicate, COUNTER.scansRejected];

/** Scans per local hour of `date` and of the day before (for a today-vs-yesterday chart). */
export async function readHourly(db: Db, date: string, areaId: number | undefined): Promise<HourlyDay[]> {
  const days = [date, previousDate(date)];
  const periods = days.flatMap(hourPeriods);
  const scope = areaId === undefined ? 'all' : `area:${areaId}`;
  const rows = await queryRows<CounterRow>(
    db,
    sql`SELECT name, scope, period, sum(value) AS value FROM counters
      WHERE name = ANY(${arrayParam(HOURLY, 'text[]')}) AND scope = ${scope} AND period = ANY(${arrayParam(periods, 'text[]')})
      GROUP BY 1, 2, 3`,
  );
  const byKey = new Map(rows.map((r) => [`${r.name}|${r.period}`, Number(r.value)]));
  return days.map((d) => ({
    date: d,
    hours: hourPeriods(d).map((period, hour) => ({
      hour,
      scans: byKey.get(`${COUNTER.scans}|${period}`) ?? 0,
      linked: byKey.get(`${COUNTER.scansLinked}|${period}`) ?? 0,
      duplicate: byKey.get(`${COUNTER.scansDuplicate}|${period}`) ?? 0,
      rejected: byKey.get(`${COUNTER.scansRejected}|${period}`) ?? 0,
    })),
  }));
}
