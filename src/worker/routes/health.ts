import { Hono } from 'hono';
import { allFlushQueues, monitorFor } from '../../durable/stubs';
import { requireRole, requireUser } from '../auth/middleware';
import { pingDb } from '../../db/health';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { isolateStartedAt } from '../../observability/build';
import type { AppEnv } from '../types';
import type { HealthDetailed, HealthResponse } from '../../shared/api';

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
  .get('/', (c) => c.json({ status: 'ok' } satisfies HealthResponse))
  .get('/detailed', requireUser, requireRole('admin'), async (c) => {
    // The current count's shards and those of FLUSH_SHARDS_PREVIOUS still draining (their rows count too).
    const refs = allFlushQueues(c.env);
    const shards = refs.map((r) => r.stub.status());
    const [db, parents, ...queues] = await Promise.all([dbStatus(c.env), monitorFor(c.env).status(), ...shards]);
    // Rows acknowledged to scanners but not yet in Postgres: in the flush queues, plus any outbox a
    // parent could not hand over.
    const flushBacklog = queues.reduce((sum, q) => sum + q.backlog, 0) + parents.flushBacklog;
    const lastError = queues.find((q) => q.lastError)?.lastError ?? parents.lastError;
    const oldest = queues.map((q) => q.oldestQueuedAt).filter((t): t is string => t !== null).sort()[0] ?? null;
    const status = db.ok && flushBacklog === 0 ? 'ok' : 'degraded';
    const now = Date.now();
    const oldestAll = [oldest, parents.oldestSince].filter((t): t is string => t !== null).sort()[0] ?? null;
    const lags = queues.map((q) => q.lastLagMs).filter((v): v is number => v !== null);
    return c.json({
      status,
      db,
      build: { revision: settings(c.env).GIT_REVISION, startedAt: isolateStartedAt() },
      postgresLatencyMs: db.latencyMs,
      // Lag of each shard's latest flush (queue entry of its oldest row → commit), and the worst of them.
      flushLagMs: lags.length ? Math.max(...lags) : null,
      oldestUnflushedSeconds: oldestAll === null ? 0 : Math.max(0, (now - Date.parse(oldestAll)) / 1000),
      flushShards: queues.map((q, i) => ({
        shard: refs[i]!.shard,
        shardCount: refs[i]!.count,
        draining: refs[i]!.draining,
        backlog: q.backlog,
        oldestQueuedAt: q.oldestQueuedAt,
        lastFlushAt: q.lastFlushAt,
        lastLagMs: q.lastLagMs,
        failures: q.failures,
        lastError: q.lastError,
      })),
      flushBacklog,
      flushOldestQueuedAt: oldest,
      flushLastError: lastError,
      parentsWaiting: parents.parentsWaiting,
      conflicts: parents.conflicts,
      // Changes Postgres refused (a child in another parent there, or an event id it holds for another
      // event): recorded in flush_conflicts too, listed here so nobody has to dig for them.
      conflictsByKind: parents.conflictsByKind,
      recentConflicts: parents.recentConflicts,
    } satisfies HealthDetailed);
  });
