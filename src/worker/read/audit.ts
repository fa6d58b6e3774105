// The audit log list (admins): newest first, filtered by actor, action, entity and time, keyset pages.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { cursorParts, cursorTimestamp, isoTimestamp, type KeysetList } from '../../db/list';
import { timeRange } from './params';
import type { AuditItem } from '../../shared/api';
export type { AuditItem } from '../../shared/api';

export interface AuditFilters {
  /** A user id (digits) or a username (case-insensitive). */
  actor?: string;
  /** An exact action (`user.create`), or a family when it ends with a dot (`bill.`). */
  action?: string;
  entity?: string;
  entityId?: string;
  from?: string;
  to?: string;
}

export interface AuditRow extends Record<string, unknown> {
  id: string | number;
  at: string;
  actor_id: number | null;
  actor_username: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  sort_at: string;
}


const auditKey = z.tuple([cursorParts.timestamp, cursorParts.id]);

function actorFilter(actor: string): SQL {
  return /^\d{1,9}$/.test(actor) ? sql`a.actor_id = ${Number(actor)}` : sql`lower(a.actor_username) = ${actor.toLowerCase()}`;
}

function actionFilter(action: string): SQL {
  if (!action.endsWith('.')) return sql`a.action = ${action}`;
  return sql`a.action LIKE ${action.replace(/[\\%_]/g, (ch) => `\\${ch}`) + '%'}`;
}

export function auditListSpec(f: AuditFilters, timeZone: string): KeysetList<AuditRow, z.infer<typeof auditKey>> {
  const filters: Array<SQL | undefined> = [
    f.actor !== undefined ? actorFilter(f.actor) : undefined,
    f.action !== undefined ? actionFilter(f.action) : undefined,
    f.entity !== undefined ? sql`a.entity_type = ${f.entity}` : undefined,
    f.entityId !== undefined ? sql`a.entity_id = ${f.entityId}` : undefined,
    ...timeRange(sql`a.at`, f.from, f.to, timeZone),
  ];
  return {
    select: sql`SELECT a.id, ${isoTimestamp(sql`a.at`)} AS at, a.actor_id, a.actor_username, a.action, a.entity_type, a.entity_id,
      a.before::text AS before, a.after::text AS after, a.ip, a.user_agent, a.request_id, ${cursorTimestamp(sql`a.at`)} AS sort_at
    FROM audit_log a`,
    filters,
    order: [sql`a.at`, sql`a.id`],
    direction: 'desc',
    cursorSchema: auditKey,
    keyOf: (r) => [r.sort_at, Number(r.id)],
    keyCasts: ['timestamptz', 'int8'],
  };
}

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export function auditItem(r: AuditRow): AuditItem {
  return {
    id: Number(r.id),
    at: r.at,
    actorId: r.actor_id,
    actorUsername: r.actor_username,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: parseJson(r.before),
    after: parseJson(r.after),
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
  };
}
