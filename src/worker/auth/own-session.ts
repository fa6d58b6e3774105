// After a user changes their own password, every session of theirs ends (a thief's too) and the caller
// gets a fresh one at once: browsers as a new cookie, devices as a token (in the body, or in the
// X-Session-Token header where the answer's body has another shape).
import type { Context } from 'hono';
import { settings } from '../../config/settings';
import type { AppEnv, AuthUser } from '../types';
import { presentedToken } from './middleware';
import { revokeUser } from '../../durable/auth/revocation';
import { REFRESHED_EXPIRES_HEADER, REFRESHED_TOKEN_HEADER, setSessionCookie } from './session-refresh';
import { issueToken } from './token';

export interface RestartedSession {
  token: string;
  user: AuthUser;
  via: 'cookie' | 'bearer';
}

/** `now`: the user as they are after the change (a new area, say), by default as the session says. */
export async function restartOwnSession(c: Context<AppEnv>, now?: Pick<AuthUser, 'id' | 'username' | 'role' | 'areaId'>): Promise<RestartedSession> {
  const me = now ?? c.get('user');
  const s = settings(c.env);
  const cutoff = await revokeUser(c.env, me.id);
  c.set('sessionEnded', true);
  // Issued after the cutoff, so the revocation that just ended the others does not end this one.
  const { token, user } = await issueToken(s.SESSION_SECRET, me, s.SESSION_TTL_SECONDS, cutoff + 1, s.SESSION_IDLE_SECONDS);
  const via = presentedToken(c)?.via === 'cookie' ? 'cookie' : 'bearer';
  if (via === 'cookie') setSessionCookie(c, token, user);
  return { token, user, via };
}

/** For answers whose body has no room for the token: the header devices already follow for refreshes. */
export function announceToken(c: Context<AppEnv>, session: RestartedSession): void {
  if (session.via !== 'bearer') return;
  c.header(REFRESHED_TOKEN_HEADER, session.token);
  c.header(REFRESHED_EXPIRES_HEADER, new Date(session.user.idleUntil).toISOString());
}
