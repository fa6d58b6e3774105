import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/types';
import { settings } from '../settings';
import type { AppEnv } from '../types';
import { isRevoked } from './revocation';
import { verifyToken } from './token';

export const SESSION_COOKIE = 'tt_session';

/** The session token of a request: the bearer token (devices) or the cookie (browsers). */
export function sessionToken(c: Context): string | undefined {
  const header = c.req.header('Authorization');
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : getCookie(c, SESSION_COOKIE);
}

/** Reads the session from the cookie or the bearer token; 401 without a valid, unrevoked one. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const token = sessionToken(c);
  const user = token ? await verifyToken(settings(c.env).SESSION_SECRET, token) : null;
  if (!user || (await isRevoked(c.env, user))) {
    throw new AppError('UNAUTHENTICATED', 'Sign in first: the session is missing, invalid, expired or signed out.');
  }
  c.set('user', user);
  await next();
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
