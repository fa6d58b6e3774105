// The isolate's copy of the revocation list (see durable/auth/session-revocations.ts), refreshed at
// most every REVOCATION_REFRESH_SECONDS with one object call, never with a database query.
import type { RevocationList } from './session-revocations';
import { revocationsFor as revocations } from '../stubs';
import { settings } from '../../config/settings';

interface Cached {
  fetchedAt: number;
  sessions: Set<string>;
  users: Map<number, number>;
}

let cached: Cached | null = null;
let refreshing: Promise<Cached> | null = null;

async function current(env: Env): Promise<Cached> {
  const maxAge = settings(env).REVOCATION_REFRESH_SECONDS * 1000;
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
    console.error('revocation list refresh failed', err);
    if (cached) return cached;
    throw err;
  }
}

export async function isRevoked(env: Env, session: { sid: string; id: number; iat: number }): Promise<boolean> {
  const list = await current(env);
  if (list.sessions.has(session.sid)) return true;
  const cutoff = list.users.get(session.id);
  return cutoff !== undefined && session.iat <= cutoff;
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
