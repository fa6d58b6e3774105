// The audit log (admins only): filtered, newest first, keyset pages.
import { Hono } from 'hono';
import { requireRole } from '../auth/middleware';
import { listPage } from '../../db/list';
import { withReadDb } from '../read/read-db';
import { validate } from '../http/validate';
import { auditItem, auditListSpec } from '../read/audit';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import { auditListQuery } from './read-queries';
import type { AuditPage } from '../../shared/api';

export const auditRoutes = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .get('/', validate('query', auditListQuery), async (c) => {
    const { limit, cursor, ...filters } = c.req.valid('query');
    const s = settings(c.env);
    return c.json((await withReadDb(c.env, (db) => listPage(db, auditListSpec(filters, s.TIME_ZONE), { limit, cursor }, auditItem))) satisfies AuditPage);
  });
