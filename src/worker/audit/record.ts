// Audit entries: who did what to which entity, with before/after, IP, user agent and request id.
// Mutations build the entry with `auditStatement` and run it in the same atomic unit as the change
// (runAtomic), so a change is never stored without its audit row and vice versa.
import type { Context } from 'hono';
import type { AppEnv } from '../types';
import type { AuditMeta } from '../../db/audit';

export { auditInsertFrom, auditStatement, writeAudit, type AuditEntry, type AuditMeta } from '../../db/audit';

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

