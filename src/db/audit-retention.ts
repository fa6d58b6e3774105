// Audit retention: after AUDIT_RETENTION_DAYS an audit row keeps what happened, who (user id) and when,
// but loses the personal data around it: IP address, user agent, and any e-mail-like string (people type
// e-mail addresses into the username field; failed sign-ins record what was typed). Runs in batches so a
// year's backlog never becomes one huge transaction; each batch is one statement.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from './client';

export const ANONYMISE_BATCH_ROWS = 5000;

/** What an e-mail address looks like, in Postgres regex syntax (no quotes or backslashes: JSON text stays valid). */
const EMAIL = '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}';
const REPLACEMENT = '[removed]';

/** Anonymises up to `limit` rows older than the retention period; returns how many it changed. */
export async function anonymiseAuditBatch(db: Db, retentionDays: number, limit = ANONYMISE_BATCH_ROWS): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH due AS (
  SELECT id FROM audit_log
  WHERE anonymised_at IS NULL AND at < now() - make_interval(days => ${retentionDays}::int)
  ORDER BY at
  LIMIT ${limit}::int
  FOR UPDATE SKIP LOCKED
),
done AS (
  UPDATE audit_log a SET
    ip = NULL,
    user_agent = NULL,
    actor_username = regexp_replace(a.actor_username, ${EMAIL}::text, ${REPLACEMENT}::text, 'g'),
    before = CASE WHEN a.before IS NULL THEN NULL ELSE regexp_replace(a.before::text, ${EMAIL}::text, ${REPLACEMENT}::text, 'g')::jsonb END,
    after = CASE WHEN a.after IS NULL THEN NULL ELSE regexp_replace(a.after::text, ${EMAIL}::text, ${REPLACEMENT}::text, 'g')::jsonb END,
    anonymised_at = now()
  FROM due WHERE a.id = due.id
  RETURNING 1
)
SELECT count(*)::int AS n FROM done`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Runs batches until none is left or `maxBatches` ran (a cron invocation has a time limit); returns rows changed. */
export async function anonymiseExpiredAudit(db: Db, retentionDays: number, maxBatches = 20): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await anonymiseAuditBatch(db, retentionDays);
    total += n;
    if (n < ANONYMISE_BATCH_ROWS) break;
  }
  return total;
}
