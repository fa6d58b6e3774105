import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/types';
import { settings } from '../settings';
import type { AppEnv } from '../types';
import { isRevoked } from './revocation';
import { verifyToken } from './token';

export const SESSION_COOKIE = 'tt_session';

/** Reads the session from the cookie (browsers) or the bearer token (devices); 401 without one. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('Authorization');
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : getCookie(c, SESSION_COOKIE);
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
