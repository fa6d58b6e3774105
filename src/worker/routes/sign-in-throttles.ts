// Admins' view of sign-in throttling: which (username, network) pairs and which networks are being made to
// wait, and clearing them (a user who mistyped too often behind a shared NAT, say). Mounted under
// /api/admin, so admins only. The entries live in the RateLimiter shards; a list reads every shard (or the
// one of the named network) and merges them in key order, which makes the keyset cursor exact.
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { allLimiters, signInLimiterFor } from '../../durable/stubs';
import type { ThrottleEntry } from '../../durable/limiter/rate-limiter';
import { auditMeta, writeAudit } from '../audit/record';
import { clientNetwork, UNKNOWN_NETWORK } from '../auth/client-network';
import { throttlePolicy, throttleUsername } from '../auth/sign-in-guard';
import { queryRows } from '../../db/client';
import { pageQuerySchema } from '../../db/list';
import { arrayParam } from '../../db/sql-arrays';
import { withDb } from '../../db/with-db.workerd';
import { limitBody } from '../http/body-limit';
import { validate } from '../http/validate';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import type { ThrottleClearResponse, ThrottlePage } from '../../shared/api';

const usernameParam = z.string().trim().min(1, 'username must not be empty').max(64, 'username is at most 64 characters').transform(throttleUsername);

/** An IP address (its network is taken) or a network as this API lists it (`…::/64`, `unknown`). */
const networkParam = z
  .string()
  .trim()
  .min(1)
  .max(64, 'network is at most 64 characters')
  .transform((text, ctx) => {
    if (text.toLowerCase() === UNKNOWN_NETWORK) return UNKNOWN_NETWORK;
    const network = clientNetwork(text.replace(/\/64$/, ''));
    if (network === UNKNOWN_NETWORK) {
      ctx.addIssue({ code: 'custom', message: 'network must be an IPv4 or IPv6 address, or a network as listed (…::/64)' });
      return z.NEVER;
    }
    return network;
  });

export const listQuery = z
  .strictObject({ username: usernameParam.optional(), network: networkParam.optional() })
  .extend(pageQuerySchema.shape);

export const clearBody = z
  .strictObject({ username: usernameParam.optional(), network: networkParam.optional() })
  .refine((b) => b.username !== undefined || b.network !== undefined, 'say what to clear: username, network or both');

const encodeCursor = (key: string) => btoa(String.fromCharCode(...new TextEncoder().encode(key))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function decodeCursor(cursor: string): string {
  try {
    const bytes = Uint8Array.from(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
    const key = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (/^[an]\|/.test(key)) return key;
  } catch {
    // fall through
  }
  throw new AppError('INVALID_INPUT', 'cursor is not one this API gave out.');
}

export interface ThrottleItem extends Omit<ThrottleEntry, 'key'> {
  /** The account of that username, when one exists (null also for network entries). */
  userId: number | null;
}

export const signInThrottleRoutes = new Hono<AppEnv>()
  .get('/', validate('query', listQuery), async (c) => {
    const { username, network, limit, cursor } = c.req.valid('query');
    const policy = throttlePolicy(settings(c.env));
    const shards = network !== undefined ? [signInLimiterFor(c.env, network)] : allLimiters(c.env);
    const filter = { afterKey: cursor === undefined ? undefined : decodeCursor(cursor), username, network, limit };
    const pages = await Promise.all(shards.map((shard) => shard.listThrottled(filter, policy)));
    const entries = pages.flat().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, limit);
    const names = [...new Set(entries.flatMap((e) => (e.username === null ? [] : [e.username])))];
    const ids = new Map<string, number>();
    if (names.length > 0) {
      const rows = await withDb(settings(c.env), (db) =>
        queryRows<{ id: number; name: string }>(db, sql`SELECT id, lower(username) AS name FROM users WHERE lower(username) = ANY(${arrayParam(names, 'text[]')})`),
      );
      for (const r of rows) ids.set(r.name, Number(r.id));
    }
    const items: ThrottleItem[] = entries.map(({ key: _key, ...e }) => ({ ...e, userId: e.username === null ? null : (ids.get(e.username) ?? null) }));
    const last = entries[entries.length - 1];
    return c.json({ items, nextCursor: entries.length === limit && last ? encodeCursor(last.key) : null } satisfies ThrottlePage);
  })
  // Audited before it happens, so no clear is ever missing from the log (a failed clear leaves a row too many).
  .post('/clear', ...limitBody, validate('json', clearBody), async (c) => {
    const { username, network } = c.req.valid('json');
    const s = settings(c.env);
    await withDb(s, async (db) => {
      const [user] = username === undefined ? [] : await queryRows<{ id: number }>(db, sql`SELECT id FROM users WHERE lower(username) = ${username}`);
      await writeAudit(db, auditMeta(c), {
        action: 'auth.throttle_clear',
        entityType: username === undefined ? 'network' : 'user',
        entityId: username === undefined ? network : (user?.id ?? null),
        after: { username: username ?? null, network: network ?? null },
      });
    });
    const policy = throttlePolicy(s);
    const shards = network !== undefined ? [signInLimiterFor(c.env, network)] : allLimiters(c.env);
    const cleared = await Promise.all(shards.map((shard) => shard.clearThrottles({ username, network }, policy)));
    return c.json({ cleared: cleared.reduce((a, b) => a + b, 0) } satisfies ThrottleClearResponse);
  });
