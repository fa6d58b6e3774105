import { app } from './app';
import { anonymiseExpiredAudit } from '../db/audit-retention';
import { withDb } from '../db/with-db.workerd';
import { settings } from '../config/settings';
import { log } from '../observability/log';
import { metricsStore } from '../durable/stubs';

export { ParentSession, QrRegistry, LiveBoard, FlushMonitor, FlushQueue, RateLimiter, SessionRevocations, BillSession, PgReader, MetricsStore, ReturnTicket, EmptyParentLedger } from '../durable';

/** Audit retention (wrangler.toml [triggers] crons): strips personal data from rows past AUDIT_RETENTION_DAYS. */
export async function runScheduled(env: Env): Promise<number> {
  const s = settings(env);
  // A cron invocation has a few minutes at most; a larger backlog continues the next day (or via npm run audit:anonymise).
  const n = await withDb(s, (db) => anonymiseExpiredAudit(db, s.AUDIT_RETENTION_DAYS, 20), 60_000);
  if (n > 0) log.info('audit retention', { anonymisedRows: n, retentionDays: s.AUDIT_RETENTION_DAYS });
  return n;
}

/** The every-minute cron: a safety net that restarts the MetricsStore's alarm if it ever stopped. */
export async function tickMetrics(env: Env): Promise<void> {
  await metricsStore(env).tick();
}

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    if (controller.cron === '* * * * *') ctx.waitUntil(tickMetrics(env));
    else ctx.waitUntil(runScheduled(env));
  },
} satisfies ExportedHandler<Env>;
