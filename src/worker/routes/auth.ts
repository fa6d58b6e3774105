// Sign-in for browsers (cookie) and devices (bearer token). Lockout, rate limits and TOTP slot in
// here (accounts issue); the verification seam is auth/token.ts.
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { SessionUser } from '../../shared/types';
import { requireUser, SESSION_COOKIE, sessionToken } from '../auth/middleware';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../auth/password';
import { revokeSession } from '../auth/revocation';
import { issueToken, verifyToken } from '../auth/token';
import { findUserForLogin, recordFailedLogin, recordSuccessfulLogin } from '../db/users';
import { limiterFor } from '../../durable/limiter/client';
import { withDb } from '../db/with-db';
import { limitBody } from '../http/body-limit';
import { validate } from '../http/validate';
import { settings } from '../settings';
import type { AppEnv, AuthUser } from '../types';

const credentialsSchema = z.strictObject({
  username: z.string().min(1, 'username is required').max(64),
  password: z.string().min(1, 'password is required').max(256),
  otp: z.string().max(16).optional(),
});

const WRONG_PAIR = 'Wrong username or password.';

function publicUser(u: SessionUser): SessionUser {
  return { id: u.id, username: u.username, role: u.role, areaId: u.areaId };
}

/** Per-IP and per-username attempt limits, checked before any password work. */
async function checkAttemptLimits(env: Env, ip: string, username: string): Promise<void> {
  const { LOGIN_ATTEMPTS_PER_MINUTE: limit } = settings(env);
  const keys = [`login-ip:${ip}`, `login-user:${username.trim().toLowerCase()}`];
  const results = await Promise.all(keys.map((key) => limiterFor(env, key).hit(key, limit, 60)));
  const refused = results.find((r) => !r.allowed);
  if (refused) {
    throw new AppError('RATE_LIMITED', `Too many sign-in attempts; try again in ${refused.retryAfterSeconds} s.`, {
      retryAfterSeconds: refused.retryAfterSeconds,
    });
  }
}

async function authenticate(env: Env, ip: string, username: string, password: string): Promise<SessionUser> {
  const s = settings(env);
  await checkAttemptLimits(env, ip, username);
  return withDb(s, async (db) => {
    const user = await findUserForLogin(db, username);
    // Unknown users still cost one hash, so timing does not reveal which usernames exist.
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (user && user.lockedSeconds > 0) {
      throw new AppError('RATE_LIMITED', `Too many failed sign-ins: this account is locked for ${Math.ceil(user.lockedSeconds / 60)} more minute(s).`, {
        retryAfterSeconds: user.lockedSeconds,
      });
    }
    if (user && !valid) await recordFailedLogin(db, user.id, s.LOCKOUT_AFTER_FAILURES, s.LOCKOUT_MINUTES);
    if (!user || !valid || !user.active) throw new AppError('UNAUTHENTICATED', WRONG_PAIR);
    if (user.failedLogins > 0) await recordSuccessfulLogin(db, user.id);
    return { id: user.id, username: user.username, role: user.role as SessionUser['role'], areaId: user.areaId };
  });
}

/** Cloudflare sets CF-Connecting-IP at the edge (clients cannot forge it there). */
function clientIp(req: { header(name: string): string | undefined }): string {
  return req.header('CF-Connecting-IP') ?? 'unknown';
}

export const authRoutes = new Hono<AppEnv>()
  .post('/login', ...limitBody, validate('json', credentialsSchema), async (c) => {
    const { username, password } = c.req.valid('json');
    const s = settings(c.env);
    const user = await authenticate(c.env, clientIp(c.req), username, password);
    const { token, user: session } = await issueToken(s.SESSION_SECRET, user, s.SESSION_TTL_SECONDS);
    const local = new URL(c.req.url).hostname === 'localhost' || new URL(c.req.url).hostname === '127.0.0.1';
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: !local,
      path: '/',
      maxAge: s.SESSION_TTL_SECONDS,
    });
    return c.json({ user: publicUser(session) });
  })
  .post('/token', ...limitBody, validate('json', credentialsSchema), async (c) => {
    const { username, password } = c.req.valid('json');
    const s = settings(c.env);
    const user = await authenticate(c.env, clientIp(c.req), username, password);
    const { token, user: session } = await issueToken(s.SESSION_SECRET, user, s.SESSION_TTL_SECONDS);
    return c.json({ token, expiresAt: new Date(session.exp).toISOString(), user: publicUser(session) });
  })
  // Ends this session everywhere (this isolate at once, every other within REVOCATION_REFRESH_SECONDS).
  .post('/logout', async (c) => {
    const token = sessionToken(c);
    const session = token ? await verifyToken(settings(c.env).SESSION_SECRET, token) : null;
    if (session) await revokeSession(c.env, session.sid, session.exp);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  })
  .get('/me', requireUser, (c) => {
    const user: AuthUser = c.get('user');
    return c.json({ user: publicUser(user) });
  });
