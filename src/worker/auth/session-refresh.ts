// Sliding idle timeout without a database: when a request's token was (re)issued more than a few minutes
// ago, the answer carries a re-issued token whose idle deadline is now + SESSION_IDLE_SECONDS (never past
// the absolute expiry). Browsers get it as a new cookie; bearer-token devices get it in the
// `X-Session-Token` response header (with `X-Session-Expires`) and should use it from then on: the old
// token stays valid until its own idle deadline, so a lost response costs nothing.
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import type { AuthUser } from './auth-user';
import { refreshToken } from './token';

/**
 * `__Host-`: the browser keeps it only if it was set Secure, for Path=/ and without Domain, so neither a
 * sibling subdomain nor a plain-http answer can plant or overwrite a session cookie. Chromium (checked with
 * Debian's Chromium 156, which the e2e tests drive) and Firefox treat http://localhost and http://127.0.0.1
 * as secure for cookies, so local development over http uses the same cookie; Safari does not (use a
 * Chromium or Firefox browser for local development, or serve it over https).
 */
export const SESSION_COOKIE = '__Host-tt_session';
export const SESSION_COOKIE_OPTIONS = { path: '/', secure: true } as const;
export const REFRESHED_TOKEN_HEADER = 'X-Session-Token';
export const REFRESHED_EXPIRES_HEADER = 'X-Session-Expires';

/** Re-issue at most this often per session: one HMAC per few minutes, not per request. */
export function refreshAfterMs(idleSeconds: number): number {
  return Math.min(5 * 60_000, (idleSeconds * 1000) / 6);
}

export function isLocalRequest(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

export function setSessionCookie(c: Context<AppEnv>, token: string, user: AuthUser): void {
  const now = Date.now();
  setCookie(c, SESSION_COOKIE, token, {
    ...SESSION_COOKIE_OPTIONS,
    httpOnly: true,
    sameSite: 'Lax',
    // The cookie may outlive the idle deadline; the token inside decides.
    maxAge: Math.max(1, Math.ceil((user.exp - now) / 1000)),
  });
}

/** Called after the handler: attaches a refreshed token when this one is due. */
export async function maybeRefreshSession(c: Context<AppEnv>, user: AuthUser, via: 'cookie' | 'bearer'): Promise<void> {
  const s = settings(c.env);
  const now = Date.now();
  const issuedOrRefreshedAt = user.idleUntil - s.SESSION_IDLE_SECONDS * 1000;
  if (user.idleUntil >= user.exp || now - issuedOrRefreshedAt < refreshAfterMs(s.SESSION_IDLE_SECONDS)) return;
  const { token, user: next } = await refreshToken(s.SESSION_SECRET, user, s.SESSION_IDLE_SECONDS, now);
  try {
    if (via === 'cookie') {
      setSessionCookie(c, token, next);
    } else {
      // Never for cookie sessions: page scripts could read it and the cookie is HttpOnly for a reason.
      c.res.headers.set(REFRESHED_TOKEN_HEADER, token);
      c.res.headers.set(REFRESHED_EXPIRES_HEADER, new Date(next.idleUntil).toISOString());
    }
  } catch {
    // Immutable headers (a relayed upgrade): the next ordinary request refreshes instead.
  }
}
