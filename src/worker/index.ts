import { app } from './app';
import { anonymiseExpiredAudit } from '../db/audit-retention';
import { withDb } from '../db/with-db.workerd';
import { settings } from '../config/settings';

export { ParentSession, QrRegistry, LiveBoard, FlushMonitor, FlushQueue, RateLimiter, SessionRevocations, BillSession, PgReader, ReturnTicket } from '../durable';

/** Audit retention (wrangler.toml [triggers] crons): strips personal data from rows past AUDIT_RETENTION_DAYS. */
export async function runScheduled(env: Env): Promise<number> {
  const s = settings(env);
  // A cron invocation has a few minutes at most; a larger backlog continues the next day (or via npm run audit:anonymise).
  const n = await withDb(s, (db) => anonymiseExpiredAudit(db, s.AUDIT_RETENTION_DAYS, 20), 60_000);
  if (n > 0) console.log(`audit retention: anonymised ${n} row(s) older than ${s.AUDIT_RETENTION_DAYS} day(s)`);
  return n;
}

export default {
  fetch: app.fetch,
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(runScheduled(env));
  },
} satisfies ExportedHandler<Env>;
