// Dispatch areas: every signed-in user may list them (pickers); admins create them.
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { auditMeta } from '../audit/record';
import { requireRole } from '../auth/middleware';
import { createArea, listAreas } from '../../db/areas';
import { withDb } from '../../db/with-db.workerd';
import { limitBody } from '../http/body-limit';
import { validate } from '../http/validate';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import type { AreaPage, AreaResponse } from '../../shared/api';

export const createSchema = z.strictObject({
  name: z
    .string({ error: 'name must be a string' })
    .trim()
    .min(2, 'name must be at least 2 characters')
    .max(64, 'name is at most 64 characters')
    .regex(/^[\p{L}\p{N} .'()-]+$/u, 'name may contain letters, digits, spaces and . \' ( ) -'),
});

export const areaRoutes = new Hono<AppEnv>()
    // A few dozen rows at most: one page, in the list shape of API.md.
  .get('/', async (c) => c.json({ items: await withDb(settings(c.env), (db) => listAreas(db)), nextCursor: null } satisfies AreaPage))
  .post('/', requireRole('admin'), ...limitBody, validate('json', createSchema), async (c) => {
    const { name } = c.req.valid('json');
    const area = await withDb(settings(c.env), (db) => createArea(db, auditMeta(c), name));
    if (!area) throw new AppError('CONFLICT', `An area named ${name} exists already.`);
    return c.json({ area } satisfies AreaResponse, 201);
  });
