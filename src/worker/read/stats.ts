// The dashboard's figures, read ONLY from the counters table (kept exact by the flush), never by counting
// the big tables: every query here is a handful of primary-key lookups on counters.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client';
import { COUNTER } from '../db/counter-sql';
import { arrayParam } from '../db/sql-arrays';
import { hourPeriods, previousDate } from './local-time';

import type { AreaStats, Stats } from '../../shared/types';

export type { AreaStats, Stats };

interface CounterRow extends Record<string, unknown> {
  name: string;
  scope: string;
  period: string;
  value: string | number;
}

const TOTALS = [COUNTER.parents, COUNTER.children, COUNTER.links, COUNTER.bills, COUNTER.billsCompleted];

/**
 * Totals, today's scans and per-area figures. `areaId` limits everything to one area (area-limited callers);
 * bills have no area and are always global. `active` are open sessions from the live boards.
 */
export async function readStats(
  db: Db,
  options: { today: string; timeZone: string; areaId?: number; active: { total: number; byArea: Record<string, number> } },
): Promise<Stats> {
  const { today, areaId } = options;
  // One round trip: the counters, and the areas (a small table) as one extra row each.
  const all = await queryRows<CounterRow>(
    db,
    sql`SELECT name, scope, period, value::text AS value FROM counters
      WHERE (name = ANY(${arrayParam(TOTALS, 'text[]')}) AND period = 'total') OR (name = ${COUNTER.scans} AND period = ${today})
      UNION ALL SELECT '#area', id::text, name, '0' FROM areas`,
  );
  const rows = all.filter((r) => r.name !== '#area');
  const areas = all
    .filter((r) => r.name === '#area')
    .map((r) => ({ id: Number(r.scope), name: r.period }))
    .sort((a, b) => a.id - b.id);
  const value = (name: string, scope: string, period: string) =>
    Number(rows.find((r) => r.name === name && r.scope === scope && r.period === period)?.value ?? 0);
  const scopeOf = areaId === undefined ? 'all' : `area:${areaId}`;
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
      };
    });
  return {
    parents: value(COUNTER.parents, scopeOf, 'total'),
    children: value(COUNTER.children, scopeOf, 'total'),
    links: value(COUNTER.links, scopeOf, 'total'),
    bills: { open: bills - completed, completed },
    scansToday: value(COUNTER.scans, scopeOf, today),
    activeSessions: areaId === undefined ? options.active.total : (options.active.byArea[String(areaId)] ?? 0),
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
    sql`SELECT name, scope, period, value FROM counters
      WHERE name = ANY(${arrayParam(HOURLY, 'text[]')}) AND scope = ${scope} AND period = ANY(${arrayParam(periods, 'text[]')})`,
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
