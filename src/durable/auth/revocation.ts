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
/** When the newest read of the list in this isolate started; 0 when none is on its way. */
let readStartedAt = 0;
/** A read on its way for longer than this no longer stops others from starting their own. */
const READ_STALL_MS = 5_000;

// Every caller reads with its own object call and never awaits a read another request or object started.
// Objects of one class share an isolate (hundreds of parents locally and in production), and a promise made
// in another object's context, awaited here, resumed this object's code in that context: workerd then
// refused its storage calls ("Cannot perform I/O on behalf of a different Durable Object", logged as
// `setAlarm failed` hundreds of times in bench:capacity, so sweeps and flush pushes lost their alarms).
// While another read is on its way, the copy this isolate holds answers (older by at most that read's time).
async function current(env: Env, maxAgeMs?: number): Promise<Cached> {
  const maxAge = maxAgeMs ?? settings(env).REVOCATION_REFRESH_SECONDS * 1000;
  const now = Date.now();
  if (cached && now - cached.fetchedAt < maxAge) return cached;
  if (cached && readStartedAt > 0 && now - readStartedAt < READ_STALL_MS) return cached;
  return readList(env);
}

async function readList(env: Env): Promise<Cached> {
  const started = Date.now();
  readStartedAt = started;
  try {
    const list: RevocationList = await revocations(env).list();
    // Stamped with the time the read started: the list holds at least what was revoked by then.
    const read: Cached = { fetchedAt: started, sessions: new Set(list.sessions), users: new Map(list.users.map((u) => [u.userId, u.cutoff])) };
    // A read that started earlier but answered later must not put an older list back.
    if (!cached || cached.fetchedAt <= started) cached = read;
    return cached;
  } catch (err) {
    // The list could not be read: keep the last copy rather than locking everybody out.
    log.error('revocation list refresh failed', errorFields(err));
    if (cached) return cached;
    throw err;
  } finally {
    if (readStartedAt === started) readStartedAt = 0;
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
  if (Date.now() - cached.fetchedAt >= settings(env).REVOCATION_REFRESH_SECONDS * 1000 && readStartedAt === 0) {
    readList(env).catch(() => undefined); // logged inside; the copy we have answers meanwhile
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
