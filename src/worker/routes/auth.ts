// Sign-in for browsers (cookie) and devices (bearer token), sign-out, own password change and the admins'
// TOTP second factor. Every outcome that matters to an auditor writes an audit row.
import { Hono, type Context } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { SessionUser } from '../../shared/types';
import { auditMeta, writeAudit, type AuditMeta } from '../audit/record';
import { presentedToken, requireRole, requireUser, SESSION_COOKIE } from '../auth/middleware';
import { checkPassword, rehashLegacyPassword } from '../auth/legacy-password';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../auth/password';
import { newPasswordSchema, passwordProblem } from '../auth/password-policy';
import { revokeSession, revokeUser } from '../auth/revocation';
import { setSessionCookie } from '../auth/session-refresh';
import { issueToken, verifyToken } from '../auth/token';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, otpauthUri, totpStep } from '../auth/totp';
import type { Db } from '../db/client';
import { consumeRecoveryCode, consumeTotpStep, enableTotp, storePendingSecret } from '../db/totp';
import { changeOwnPassword, findUserById, findUserForLogin, recordFailedLogin, recordSuccessfulLogin, type UserRow } from '../db/users';
import { limiterFor } from '../../durable/limiter/client';
import { withDb } from '../db/with-db';
import { limitBody } from '../http/body-limit';
import { validate } from '../http/validate';
import { settings, type Settings } from '../settings';
import type { AppEnv, AuthUser } from '../types';

const credentialsSchema = z.strictObject({
  username: z.string().min(1, 'username is required').max(64),
  password: z.string().min(1, 'password is required').max(256),
  /** A TOTP code (6 digits) or an unused recovery code, for accounts with TOTP enabled. */
  otp: z.string().max(32).optional(),
});

const passwordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1, 'currentPassword is required').max(256),
  newPassword: newPasswordSchema,
});

const otpSchema = z.strictObject({ otp: z.string().min(1, 'otp is required').max(32) });

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

/** A failed sign-in's audit row: who was tried (as typed, trimmed and capped), from where. */
async function auditFailure(db: Db, meta: AuditMeta, username: string, user: UserRow | null, reason: string): Promise<void> {
  await writeAudit(db, meta, {
    action: 'auth.login_failed',
    entityType: 'user',
    entityId: user?.id ?? null,
    after: { username: username.trim().slice(0, 64), reason },
  });
}

/** The second factor: a TOTP code of a step newer than any used before, or an unused recovery code. */
async function checkOtp(db: Db, user: UserRow, otp: string): Promise<boolean> {
  if (!user.totpSecret) return false;
  const step = totpStep(user.totpSecret, user.username, otp.trim());
  if (step !== null) return consumeTotpStep(db, user.id, step);
  if (looksLikeRecoveryCode(otp)) return consumeRecoveryCode(db, user.id, await hashRecoveryCode(otp));
  return false;
}

async function authenticate(c: Context<AppEnv>, s: Settings, username: string, password: string, otp: string | undefined): Promise<SessionUser> {
  const anonymous = auditMeta(c, null);
  await checkAttemptLimits(c.env, anonymous.ip ?? 'unknown', username);
  return withDb(s, async (db) => {
    const user = await findUserForLogin(db, username);
    // Unknown users still cost one hash, so timing does not reveal which usernames exist.
    const { valid, legacy } = await checkPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (user && user.lockedSeconds > 0) {
      await auditFailure(db, anonymous, username, user, 'locked');
      throw new AppError('RATE_LIMITED', `Too many failed sign-ins: this account is locked for ${Math.ceil(user.lockedSeconds / 60)} more minute(s).`, {
        retryAfterSeconds: user.lockedSeconds,
      });
    }
    if (user && !valid) await recordFailedLogin(db, user.id, s.LOCKOUT_AFTER_FAILURES, s.LOCKOUT_MINUTES);
    if (!user || !valid || !user.active) {
      await auditFailure(db, anonymous, username, user, !user ? 'unknown_user' : !valid ? 'wrong_password' : 'inactive');
      throw new AppError('UNAUTHENTICATED', WRONG_PAIR);
    }
    if (user.totpEnabled) {
      if (otp === undefined || otp.trim() === '') {
        throw new AppError('OTP_REQUIRED', 'Enter the 6-digit code from your authenticator app (or a recovery code).');
      }
      if (!(await checkOtp(db, user, otp))) {
        // A wrong code counts like a wrong password: it leads to the lockout too.
        await recordFailedLogin(db, user.id, s.LOCKOUT_AFTER_FAILURES, s.LOCKOUT_MINUTES);
        await auditFailure(db, anonymous, username, user, 'wrong_otp');
        throw new AppError('OTP_REQUIRED', 'That code is wrong or was used already; enter a current code.');
      }
    }
    if (user.failedLogins > 0) await recordSuccessfulLogin(db, user.id);
    const session: SessionUser = { id: user.id, username: user.username, role: user.role as SessionUser['role'], areaId: user.areaId };
    if (legacy) await rehashLegacyPassword(db, auditMeta(c, session), user, password);
    await writeAudit(db, auditMeta(c, session), { action: 'auth.login', entityType: 'user', entityId: user.id, after: { via: c.req.path.endsWith('/token') ? 'token' : 'cookie' } });
    return session;
  });
}

async function signIn(c: Context<AppEnv>, body: z.infer<typeof credentialsSchema>, now?: number) {
  const s = settings(c.env);
  const user = await authenticate(c, s, body.username, body.password, body.otp);
  return issueToken(s.SESSION_SECRET, user, s.SESSION_TTL_SECONDS, now, s.SESSION_IDLE_SECONDS);
}

export const authRoutes = new Hono<AppEnv>()
  .post('/login', ...limitBody, validate('json', credentialsSchema), async (c) => {
    const { token, user } = await signIn(c, c.req.valid('json'));
    setSessionCookie(c, token, user);
    return c.json({ user: publicUser(user) });
  })
  .post('/token', ...limitBody, validate('json', credentialsSchema), async (c) => {
    const { token, user } = await signIn(c, c.req.valid('json'));
    // expiresAt: the absolute end; idleExpiresAt: when it ends without use (see X-Session-Token refreshes).
    return c.json({ token, expiresAt: new Date(user.exp).toISOString(), idleExpiresAt: new Date(user.idleUntil).toISOString(), user: publicUser(user) });
  })
  // Ends this session everywhere (this isolate at once, every other within REVOCATION_REFRESH_SECONDS).
  .post('/logout', async (c) => {
    const presented = presentedToken(c);
    const session = presented ? await verifyToken(settings(c.env).SESSION_SECRET, presented.token) : null;
    if (session) {
      await revokeSession(c.env, session.sid, session.exp);
      // Sign-out must work with the database down: its audit row is best effort.
      await withDb(settings(c.env), (db) => writeAudit(db, auditMeta(c, session), { action: 'auth.logout', entityType: 'user', entityId: session.id })).catch(
        (err) => console.error('logout audit failed', err instanceof Error ? err.message : err),
      );
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  })
  .get('/me', requireUser, (c) => {
    const user: AuthUser = c.get('user');
    return c.json({ user: publicUser(user) });
  })
  // The signed-in user's own password: needs the current one; every other session of the user ends.
  .post('/password', requireUser, ...limitBody, validate('json', passwordChangeSchema), async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    const me = c.get('user');
    const s = settings(c.env);
    const problem = passwordProblem(newPassword, me.username);
    if (problem) throw new AppError('INVALID_INPUT', `newPassword: ${problem}`);
    if (newPassword === currentPassword) throw new AppError('INVALID_INPUT', 'newPassword: choose a password different from the current one.');
    const key = `password-change:${me.id}`;
    const limit = await limiterFor(c.env, key).hit(key, s.LOGIN_ATTEMPTS_PER_MINUTE, 60);
    if (!limit.allowed) throw new AppError('RATE_LIMITED', `Too many attempts; try again in ${limit.retryAfterSeconds} s.`, { retryAfterSeconds: limit.retryAfterSeconds });
    await withDb(s, async (db) => {
      const row = await findUserById(db, me.id);
      if (!row || !row.active) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
      if (!(await verifyPassword(currentPassword, row.passwordHash))) {
        await recordFailedLogin(db, row.id, s.LOCKOUT_AFTER_FAILURES, s.LOCKOUT_MINUTES);
        throw new AppError('FORBIDDEN', 'The current password is wrong.');
      }
      if (!(await changeOwnPassword(db, auditMeta(c), me.id, await hashPassword(newPassword)))) {
        throw new AppError('UNAUTHENTICATED', 'Sign in first.');
      }
    });
    // Every session of this user ends, this one included; the caller gets a fresh session at once.
    const cutoff = await revokeUser(c.env, me.id);
    c.set('sessionEnded', true);
    const { token, user } = await issueToken(s.SESSION_SECRET, me, s.SESSION_TTL_SECONDS, cutoff + 1, s.SESSION_IDLE_SECONDS);
    if (presentedToken(c)?.via === 'cookie') {
      setSessionCookie(c, token, user);
      return c.json({ user: publicUser(user) });
    }
    return c.json({ user: publicUser(user), token, expiresAt: new Date(user.exp).toISOString() });
  })
  // TOTP for admins: setup stores a new secret (not yet enabled) and returns it with its otpauth URI.
  .post('/totp/setup', requireUser, requireRole('admin'), async (c) => {
    const me = c.get('user');
    const secret = newTotpSecret();
    const stored = await withDb(settings(c.env), (db) => storePendingSecret(db, auditMeta(c), me.id, secret));
    if (!stored) throw new AppError('CONFLICT', 'TOTP is already enabled for this account.');
    return c.json({ secret, otpauthUri: otpauthUri(secret, me.username) });
  })
  // Verifying a first code enables TOTP and returns the recovery codes, shown this once (only hashes are kept).
  .post('/totp/verify', requireUser, requireRole('admin'), ...limitBody, validate('json', otpSchema), async (c) => {
    const me = c.get('user');
    const { otp } = c.req.valid('json');
    const key = `totp-verify:${me.id}`;
    const limit = await limiterFor(c.env, key).hit(key, settings(c.env).LOGIN_ATTEMPTS_PER_MINUTE, 60);
    if (!limit.allowed) throw new AppError('RATE_LIMITED', `Too many attempts; try again in ${limit.retryAfterSeconds} s.`, { retryAfterSeconds: limit.retryAfterSeconds });
    const codes = newRecoveryCodes();
    await withDb(settings(c.env), async (db) => {
      const row = await findUserById(db, me.id);
      if (!row?.totpSecret) throw new AppError('CONFLICT', 'Start with POST /api/auth/totp/setup.');
      if (row.totpEnabled) throw new AppError('CONFLICT', 'TOTP is already enabled for this account.');
      const step = totpStep(row.totpSecret, row.username, otp.trim());
      if (step === null) throw new AppError('INVALID_INPUT', 'otp: that code is wrong; enter the current 6-digit code.');
      const hashes = await Promise.all(codes.map(hashRecoveryCode));
      if (!(await enableTotp(db, auditMeta(c), me.id, step, hashes))) {
        throw new AppError('CONFLICT', 'That code was used already, or TOTP was enabled meanwhile.');
      }
    });
    return c.json({ enabled: true, recoveryCodes: codes });
  });
