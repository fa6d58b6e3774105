// Audit entries: who did what to which entity, with before/after, IP, user agent and request id.
// Mutations build the entry with `auditStatement` and run it in the same atomic unit as the change
// (runAtomic), so a change is never stored without its audit row and vice versa.
import type { Context } from 'hono';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { AppEnv } from '../types';

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

const MAX_UA = 256;

export function auditMeta(c: Context<AppEnv>, actor?: { id: number; username: string } | null): AuditMeta {
  const user = actor === undefined ? c.get('user') : actor;
  return {
    actorId: user?.id ?? null,
    actorUsername: user?.username ?? null,
    ip: c.req.header('CF-Connecting-IP') ?? null,
    userAgent: c.req.header('User-Agent')?.slice(0, MAX_UA) ?? null,
    requestId: c.get('requestId') ?? null,
  };
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
