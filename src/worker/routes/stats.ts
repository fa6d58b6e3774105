// The dashboard: totals, today, per area and per hour, from the counters table only (plus the live
// boards' count of open sessions). Dispatchers and supervisors get their own area's figures.
import { Hono } from 'hono';
import { z } from 'zod';
import { allBoard, boardFor } from '../../durable/stubs';
import { scopedAreaId } from '../area-scope';
import { withReadDb } from '../read/read-db';
import { validate } from '../http/validate';
import { localDate } from '../read/local-time';
import { dateParam, idParam } from '../read/params';
import { readHourly, readStats } from '../read/stats';
import { StatsSnapshots, wantsFresh } from '../read/stats-snapshot';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import { errorFields, log } from '../../observability/log';
import { timeStage } from '../../observability/stage-timing';
import type { HourlyStats, Stats } from '../../shared/api';

export const statsQuery = z.strictObject({ areaId: idParam('areaId').optional() });
export const hourlyQuery = z.strictObject({ date: dateParam.optional(), areaId: idParam('areaId').optional() });

async function activeSessions(env: Env, areaId: number | undefined): Promise<{ total: number; byArea: Record<string, number> }> {
  try {
    return await timeStage('board', () => (areaId === undefined ? allBoard(env) : boardFor(env, areaId)).activeCounts());
  } catch (err) {
    // The board is a nicety on the dashboard: its absence must not fail the counters.
    log.warn('live board unavailable for stats', errorFields(err));
    return { total: 0, byArea: {} };
  }
}

/** Per isolate: the dashboard's figures per (day, area scope), refreshed about once a second. */
const snapshots = new StatsSnapshots();
/** Per isolate: scans per hour per (date, area scope), the same way (the chart is a second behind at most). */
const hourlySnapshots = new StatsSnapshots<HourlyStats['days']>();

export const statsRoutes = new Hono<AppEnv>()
  .get('/', validate('query', statsQuery), async (c) => {
    const s = settings(c.env);
    const areaId = scopedAreaId(c.get('user'), c.req.valid('query').areaId);
    const today = localDate(new Date(), s.TIME_ZONE);
    const load = async () => {
      const [active, stats] = await Promise.all([
        activeSessions(c.env, areaId),
        withReadDb(c.env, (db) => readStats(db, { today, timeZone: s.TIME_ZONE, areaId, active: { total: 0, byArea: {} } })),
      ]);
      // Active sessions arrive from the boards in parallel with the counters; merge them in.
      stats.activeSessions = areaId === undefined ? active.total : (active.byArea[String(areaId)] ?? 0);
      for (const a of stats.byArea) a.activeSessions = active.byArea[String(a.areaId)] ?? 0;
      return stats;
    };
    // About a second behind at most, unless the caller asks for figures read now (stats-snapshot.ts); the
    // scope is this caller's, decided above.
    const fresh = wantsFresh(c.req.header('Cache-Control'));
    const stats = await snapshots.get(`${today}|${areaId ?? 'all'}`, load, (p) => c.executionCtx.waitUntil(p), fresh);
    return c.json(stats satisfies Stats);
  })
  .get('/hourly', validate('query', hourlyQuery), async (c) => {
    const s = settings(c.env);
    const q = c.req.valid('query');
    const areaId = scopedAreaId(c.get('user'), q.areaId);
    const date = q.date ?? localDate(new Date(), s.TIME_ZONE);
    const load = () => withReadDb(c.env, (db) => readHourly(db, date, areaId));
    const fresh = wantsFresh(c.req.header('Cache-Control'));
    const days = await hourlySnapshots.get(`${date}|${areaId ?? 'all'}`, load, (p) => c.executionCtx.waitUntil(p), fresh);
    return c.json({ timeZone: s.TIME_ZONE, areaId: areaId ?? null, days } satisfies HourlyStats);
  });
