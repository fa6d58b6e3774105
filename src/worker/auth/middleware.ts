import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/types';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import { isRevoked } from '../../durable/auth/revocation';
import { maybeRefreshSession, SESSION_COOKIE } from './session-refresh';
import { verifyToken } from './token';
import { timeStage } from '../../observability/stage-timing';

export { SESSION_COOKIE };

export interface PresentedToken {
  token: string;
  via: 'bearer' | 'cookie';
}

/** The session token of a request and where it came from: the bearer token (devices) or the cookie (browsers). */
export function presentedToken(c: Context): PresentedToken | undefined {
  const header = c.req.header('Authorization');
  if (header?.startsWith('Bearer ')) return { token: header.slice(7).trim(), via: 'bearer' };
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}

export function sessionToken(c: Context): string | undefined {
  return presentedToken(c)?.token;
}

/** The token's user when its signature holds, it has not expired and it was not revoked; else null. */
async function validSession(env: Env, token: string) {
  const user = await verifyToken(settings(env).SESSION_SECRET, token);
  return user && !(await isRevoked(env, user)) ? user : null;
}

/** Reads the session from the cookie or the bearer token; 401 without a valid, unrevoked, unexpired one. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const presented = presentedToken(c);
  const user = presented ? await timeStage('auth', () => validSession(c.env, presented.token)) : null;
  if (!user) {
    throw new AppError('UNAUTHENTICATED', 'Sign in first: the session is missing, invalid, expired, idle too long or signed out.');
  }
  c.set('user', user);
  await next();
  // Activity slides the idle deadline (not for answers that end the session themselves).
  if (c.res.status !== 401 && !c.get('sessionEnded')) await maybeRefreshSession(c, user, presented!.via);
});

export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = c.get('user');
    if (!roles.includes(user.role)) {
      throw new AppError('FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}.`);
    }
    await next();
  });
}
