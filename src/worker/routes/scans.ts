// The scan history list; dispatchers and supervisors see their own area's scans only.
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import { scopedAreaId } from '../area-scope';
import { listPage } from '../../db/list';
import { withReadDb } from '../read/read-db';
import { validate } from '../http/validate';
import { scanItem, scanListSpec, type ScanFilters } from '../read/scans';
import { settings } from '../../config/settings';
import type { AppEnv, AuthUser } from '../types';
import { scanListQuery } from './read-queries';
import type { ScanPage } from '../../shared/api';

/** The validated query as list filters: userId and scannedBy are one filter, the area scoped to the caller. */
export function scanFilters(user: AuthUser, q: Omit<ScanFilters, 'userId'> & { userId?: number; scannedBy?: number }): ScanFilters {
  const { scannedBy, userId, ...rest } = q;
  if (scannedBy !== undefined && userId !== undefined && scannedBy !== userId) {
    throw new AppError('INVALID_INPUT', 'userId and scannedBy name the same filter; give one.');
  }
  const who = userId ?? scannedBy;
  return { ...rest, ...(who !== undefined ? { userId: who } : {}), areaId: scopedAreaId(user, q.areaId) };
}

export const scanRoutes = new Hono<AppEnv>().get('/', validate('query', scanListQuery), async (c) => {
  const { limit, cursor, ...query } = c.req.valid('query');
  const s = settings(c.env);
  const filters = scanFilters(c.get('user'), query);
  return c.json((await withReadDb(c.env, (db) => listPage(db, scanListSpec(filters, s.TIME_ZONE), { limit, cursor }, scanItem))) satisfies ScanPage);
});
