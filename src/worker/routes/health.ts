import { Hono } from 'hono';
import { monitorFor } from '../../durable/monitor/client';
import { requireRole, requireUser } from '../auth/middleware';
import { pingDb } from '../db/health';
import { withDb } from '../db/with-db';
import { settings } from '../settings';
import type { AppEnv } from '../types';

const DB_TIMEOUT_MS = 3000;

async function dbStatus(env: Env): Promise<{ ok: boolean; latencyMs: number | null; error?: string }> {
  try {
    const latencyMs = await withDb(settings(env), (db) => pingDb(db), DB_TIMEOUT_MS);
    return { ok: true, latencyMs };
  } catch (err) {
    return { ok: false, latencyMs: null, error: err instanceof Error ? err.message : String(err) };
  }
}

export const healthRoutes = new Hono<AppEnv>()
  // No I/O, no auth: load balancers and uptime checks hit this constantly.
  .get('/', (c) => c.json({ status: 'ok' }))
  .get('/detailed', requireUser, requireRole('admin'), async (c) => {
    const [db, flush] = await Promise.all([dbStatus(c.env), monitorFor(c.env).status()]);
    const status = db.ok && flush.flushBacklog === 0 ? 'ok' : 'degraded';
    return c.json({ status, db, ...flush });
  });
