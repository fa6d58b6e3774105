// The isolate's copy of the revocation list (see durable/auth/session-revocations.ts), refreshed at
// most every REVOCATION_REFRESH_SECONDS with one object call, never with a database query.
import type { RevocationList } from './session-revocations';
import { revocationsFor as revocations } from '../stubs';
import { settings } from '../../config/settings';
import { errorFields, log } from '../../observability/log';

interface Cached {
  fetchedAt: number;
  sessions: Set<string>;
  users: Map<number, number>;
}

let cached: Cached | null = null;
let refreshing: Promise<Cached> | null = null;

async function current(env: Env, maxAgeMs?: number): Promise<Cached> {
  const maxAge = maxAgeMs ?? settings(env).REVOCATION_REFRESH_SECONDS * 1000;
  if (cached && Date.now() - cached.fetchedAt < maxAge) return cached;
  refreshing ??= revocations(env)
    .list()
    .then((list: RevocationList) => {
      cached = { fetchedAt: Date.now(), sessions: new Set(list.sessions), users: new Map(list.users.map((u) => [u.userId, u.cutoff])) };
      return cached;
    })
    .finally(() => (refreshing = null));
  try {
    return await refreshing;
  } catch (err) {
    // The list could not be read: keep the last copy rather than locking everybody out.
    log.error('revocation list refresh failed', errorFields(err));
    if (cached) return cached;
    throw err;
  }
}

type RevocableSession = { sid: string; id: number; iat: number };

function revokedIn(list: Cached, session: RevocableSession): boolean {
  if (list.sessions.has(session.sid)) return true;
  const cutoff = list.users.get(session.id);
  return cutoff !== undefined && session.iat <= cutoff;
}

/** `maxAgeMs`: how old the isolate's copy may be for this check (default REVOCATION_REFRESH_SECONDS). */
export async function isRevoked(env: Env, session: RevocableSession, maxAgeMs?: number): Promise<boolean> {
  return revokedIn(await current(env, maxAgeMs), session);
}

/**
 * The same check without any I/O, for the hot path (every fan-out of an event): from the isolate's copy as
 * it is, starting a refresh in the background when it is older than REVOCATION_REFRESH_SECONDS. `null` when
 * this isolate holds no copy yet (call `loadRevocations` first, e.g. while an object starts).
 */
export function isRevokedCached(env: Env, session: RevocableSession): boolean | null {
  if (!cached) return null;
  if (Date.now() - cached.fetchedAt >= settings(env).REVOCATION_REFRESH_SECONDS * 1000 && !refreshing) {
    current(env).catch(() => undefined); // logged inside; the copy we have answers meanwhile
  }
  return revokedIn(cached, session);
}

/** Makes sure this isolate holds a copy of the list (no I/O when it already does). */
export async function loadRevocations(env: Env): Promise<void> {
  if (!cached) await current(env);
}

/** Ends one session everywhere (within the refresh interval; at once in this isolate). */
export async function revokeSession(env: Env, sid: string, exp: number): Promise<void> {
  await revocations(env).revokeSession(sid, exp);
  cached?.sessions.add(sid);
}

/**
 * Ends every session of a user issued until now (deactivation, role change, password change) and returns
 * the cutoff: a session that should survive must be issued after it.
 */
export async function revokeUser(env: Env, userId: number): Promise<number> {
  const now = Date.now();
  await revocations(env).revokeUser(userId, now);
  cached?.users.set(userId, now);
  return now;
}
