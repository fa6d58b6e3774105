// Audit SQL: the INSERTs that mutations put in the same atomic unit as their change. No Hono here, so
// database modules and Node scripts can use it too (record.ts adds the request-side helper).
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';

/** Request facts every audit row carries; taken once per request by `auditMeta`. */
export interface AuditMeta {
  actorId: number | null;
  actorUsername: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  /** Dotted verb, e.g. `user.create`, `bill.finalize`, `auth.login_failed`. */
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  /** Set for rows derived from Durable Object events so replays insert them once (unique). */
  eventId?: string;
  /** When it happened (ISO-8601), for rows written later than the event (Durable Object flushes); default now. */
  at?: string;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** One INSERT for the audit row; ON CONFLICT keeps event-derived rows idempotent. */
export function auditStatement(meta: AuditMeta, entry: AuditEntry): SQL {
  return sql`INSERT INTO audit_log (at, actor_id, actor_username, action, entity_type, entity_id, before, after, ip, user_agent, request_id, event_id)
    VALUES (coalesce(${entry.at ?? null}::timestamptz, now()), ${meta.actorId}, ${meta.actorUsername}, ${entry.action}, ${entry.entityType},
            ${entry.entityId == null ? null : String(entry.entityId)}, ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb,
            ${meta.ip}, ${meta.userAgent}, ${meta.requestId}, ${entry.eventId ?? null})
    ON CONFLICT (event_id) DO NOTHING`;
}

/** Writes one audit row on its own (for events with no other write, such as a failed sign-in). */
export async function writeAudit(db: Db, meta: AuditMeta, entry: AuditEntry): Promise<void> {
  await db.execute(auditStatement(meta, entry));
}

/**
 * The audit INSERT as a fragment for a data-modifying CTE, for writes whose entity id and before/after only
 * Postgres knows (a new row's id, the row as it was under the statement's lock). `source` is a CTE name with
 * the columns entity_id (text), before (jsonb), after (jsonb); one audit row per source row, so a refused
 * write (no rows) leaves no audit row either.
 */
export function auditInsertFrom(meta: AuditMeta, action: string, entityType: string, source: string): SQL {
  if (!/^[a-z_]+$/.test(source)) throw new Error(`auditInsertFrom: bad CTE name ${source}`);
  return sql`INSERT INTO audit_log (actor_id, actor_username, action, entity_type, entity_id, before, after, ip, user_agent, request_id)
    SELECT ${meta.actorId}::int, ${meta.actorUsername}::text, ${action}::text, ${entityType}::text, s.entity_id, s.before, s.after,
           ${meta.ip}::text, ${meta.userAgent}::text, ${meta.requestId}::text
    FROM ${sql.raw(source)} s`;
}

/** Audit facts for a change made by a command-line script: no request and no signed-in actor, so the
 *  actor is named `system:<command>` (a name no user can have: usernames never contain a colon). */
export function scriptAuditMeta(command: string): AuditMeta {
  return { actorId: null, actorUsername: `system:${command}`, ip: null, userAgent: null, requestId: null };
}
