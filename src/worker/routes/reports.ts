// Reports. Who may read them:
//  - daily (scans per area and per user): biller, admin (any area); supervisor (own area, forced);
//  - end of day (per area and per biller), the bill summary and the returns summary (issue 13): biller, admin.
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { scopedAreaId } from '../area-scope';
import { requireRole } from '../auth/middleware';
import { withReadDb } from '../read/read-db';
import { validate } from '../http/validate';
import { localDate } from '../read/local-time';
import { dateParam, idParam } from '../read/params';
import { billsReport, dailyReport, eodReport, returnsReport } from '../read/reports';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import type { BillsReport, DailyReport, EodReport, ReturnsReport } from '../../shared/api';

const MAX_RANGE_DAYS = 366;

export const dailyQuery = z.strictObject({ date: dateParam.optional(), areaId: idParam('areaId').optional() });
export const eodQuery = z.strictObject({ date: dateParam.optional() });
export const billsQuery = z.strictObject({ from: dateParam.optional(), to: dateParam.optional(), billerId: idParam('billerId').optional() });

export const returnsQuery = z.strictObject({ from: dateParam.optional(), to: dateParam.optional() });

/** [from, to] of a range report: `to` defaults to today, `from` to `to`; at most MAX_RANGE_DAYS. */
function dayRangeOf(q: { from?: string; to?: string }, today: string, what: string): { from: string; to: string } {
  const to = q.to ?? today;
  const from = q.from ?? to;
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days < 0) throw new AppError('INVALID_INPUT', 'from must not be after to.');
  if (days >= MAX_RANGE_DAYS) throw new AppError('INVALID_INPUT', `A ${what} report covers at most ${MAX_RANGE_DAYS} days.`);
  return { from, to };
}

export const reportRoutes = new Hono<AppEnv>()
  .get('/daily', requireRole('biller', 'admin', 'supervisor'), validate('query', dailyQuery), async (c) => {
    const s = settings(c.env);
    const q = c.req.valid('query');
    const areaId = scopedAreaId(c.get('user'), q.areaId);
    const date = q.date ?? localDate(new Date(), s.TIME_ZONE);
    return c.json((await withReadDb(c.env, (db) => dailyReport(db, date, areaId, s.TIME_ZONE))) satisfies DailyReport);
  })
  .get('/eod', requireRole('biller', 'admin'), validate('query', eodQuery), async (c) => {
    const s = settings(c.env);
    const date = c.req.valid('query').date ?? localDate(new Date(), s.TIME_ZONE);
    return c.json((await withReadDb(c.env, (db) => eodReport(db, date, s.TIME_ZONE))) satisfies EodReport);
  })
  .get('/bills', requireRole('biller', 'admin'), validate('query', billsQuery), async (c) => {
    const s = settings(c.env);
    const q = c.req.valid('query');
    const today = localDate(new Date(), s.TIME_ZONE);
    const to = q.to ?? today;
    const from = q.from ?? to;
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (days < 0) throw new AppError('INVALID_INPUT', 'from must not be after to.');
    if (days >= MAX_RANGE_DAYS) throw new AppError('INVALID_INPUT', `A bill report covers at most ${MAX_RANGE_DAYS} days.`);
    return c.json((await withReadDb(c.env, (db) => billsReport(db, from, to, q.billerId, s.TIME_ZONE))) satisfies BillsReport);
  })
  .get('/returns', requireRole('biller', 'admin'), validate('query', returnsQuery), async (c) => {
    const s = settings(c.env);
    const { from, to } = dayRangeOf(c.req.valid('query'), localDate(new Date(), s.TIME_ZONE), 'returns');
    return c.json((await withReadDb(c.env, (db) => returnsReport(db, from, to, s.TIME_ZONE))) satisfies ReturnsReport);
  });
