// GET /api/conflicts: flush conflicts for the people who act on them (supervisors: their own area; admins:
// every area, also conflicts with no parent bag known). Read only; /health/detailed keeps the admin summary.
import { Hono } from 'hono';
import { z } from 'zod';
import { scopedAreaId } from '../area-scope';
import { requireRole } from '../auth/middleware';
import { listPage, pageQuerySchema } from '../../db/list';
import { validate } from '../http/validate';
import { conflictItem, conflictListSpec, CONFLICT_KINDS } from '../read/conflicts';
import { boolParam, idParam } from '../read/params';
import { withReadDb } from '../read/read-db';
import type { AppEnv } from '../types';
import type { ConflictPage } from '../../shared/api';

export const conflictQuery = z
  .strictObject({
    areaId: idParam('areaId').optional(),
    kind: z.enum(CONFLICT_KINDS, { error: `kind must be one of ${CONFLICT_KINDS.join(', ')}` }).optional(),
    resolved: boolParam('resolved').optional(),
  })
  .extend(pageQuerySchema.shape);

export const conflictRoutes = new Hono<AppEnv>()
  .use(requireRole('supervisor', 'admin'))
  .get('/', validate('query', conflictQuery), async (c) => {
    const { limit, cursor, areaId, kind, resolved } = c.req.valid('query');
    const scoped = scopedAreaId(c.get('user'), areaId);
    const spec = conflictListSpec({ areaId: scoped, kind, includeResolved: resolved === true });
    return c.json((await withReadDb(c.env, (db) => listPage(db, spec, { limit, cursor }, conflictItem))) satisfies ConflictPage);
  });
