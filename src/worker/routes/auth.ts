// Sign-in for browsers (cookie) and devices (bearer token), sign-out, own password change and the admins'
// TOTP second factor. Every outcome that matters to an auditor writes an audit row.
import { Hono, type Context } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { SessionUser } from '../../shared/types';
import { auditMeta, writeAudit, type AuditMeta } from '../audit/record';
import { confirmCurrentPassword } from '../auth/current-password';
import { checkPassword, rehashLegacyPassword } from '../auth/legacy-password';
import { presentedToken, requireRole, requireUser, SESSION_COOKIE } from '../auth/middleware';
import { restartOwnSession } from '../auth/own-session';
import { DUMMY_PASSWORD_HASH, hashPassword } from '../auth/password';
import { newPasswordSchema, passwordProblem } from '../auth/password-policy';
import { revokeSession } from '../../durable/auth/revocation';
import { SESSION_COOKIE_OPTIONS, setSessionCookie } from '../auth/session-refresh';
import { beginPasswordAttempt } from '../auth/sign-in-guard';
import { issueToken, refreshToken, verifyToken } from '../auth/token';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, otpauthUri, totpStep } from '../auth/totp';
import type { Db } from '../../db/client';
import { clearTotp, consumeRecoveryCode, consumeTotpStep, enableTotp, storePendingSecret } from '../../db/totp';
import { changeOwnPassword, findUserById, findUserByUsername, findUserLocale, setUserLocale, type UserLocale, type UserRow } from '../../db/users';
import { limiterFor } from '../../durable/stubs';
import { withDb } from '../../db/with-db.workerd';
import { limitBody } from '../http/body-limit';
import { withReadDb } from '../read/read-db';
import { validate } from '../http/validate';
import { settings, type Settings } from '../../config/settings';
import type { AppEnv, AuthUser } from '../types';
import { errorFields, log } from '../../observability/log';
import type { LoginResponse, MeResponse, PasswordChangeResponse, TokenResponse, TotpDisableResponse, TotpSetupResponse, TotpVerifyResponse } from '../../shared/api';

export const credentialsSchema = z.strictObject({
  username: z.string().min(1, 'username is required').max(64),
  password: z.string().min(1, 'password is required').max(256),
  /** A TOTP code (6 digits) or an unused recovery code, for accounts with TOTP enabled. */
  otp: z.string().max(32).optional(),
});

export const passwordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1, 'currentPassword is required').max(256),
  newPassword: newPasswordSchema,
});

const currentPasswordField = z.string({ error: 'currentPassword is required' }).min(1, 'currentPassword is required').max(256);
const otpField = z.string({ error: 'otp is required' }).min(1, 'otp is required').max(32);

/** Turning TOTP on (setup, verify) or off needs the current password, not just a session. */
export const totpSetupSchema = z.strictObject({ currentPassword: currentPasswordField });
export const totpVerifySchema = z.strictObject({ otp: otpField, currentPassword: currentPasswordField });
export const totpDisableSchema = z.strictObject({ currentPassword: currentPasswordField, otp: otpField });

/** PATCH /api/auth/me: the signed-in user's own settings (today the language; null = the browser's). */
export const mePatchSchema = z.strictObject({
  locale: z.enum(['en', 'hi'], { error: "locale must be 'en', 'hi' or null" }).nullable(),
});

/** How long /me waits for the stored language before answering without it (the UI then keeps its own). */
const LOCALE_READ_TIMEOUT_MS = 2000;

const WRONG_PAIR = 'Wrong username or password.';

function publicUser(u: SessionUser): SessionUser {
  return { id: u.id, username: u.username, role: u.role, areaId: u.areaId };
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

/**
 * Checks a sign-in. Throttling comes first and is decided without the user (same answer for every username);
 * then an unknown username costs the same password hash as a known one, writes the same audit row and gets
 * the same 401, so neither the answer nor its timing says which usernames exist. Only a right password
 * learns more: that the account is deactivated, or that it needs a TOTP code.
 */
async function authenticate(c: Context<AppEnv>, s: Settings, username: string, password: string, otp: string | undefined): Promise<{ session: SessionUser; locale: UserLocale | null }> {
  const anonymous = auditMeta(c, null);
  const attempt = await beginPasswordAttempt(c, username);
  let checked = false;
  try {
    return await withDb(s, async (db) => {
      const user = await findUserByUsername(db, username);
      const { valid, legacy } = await checkPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
      checked = true;
      if (!user || !valid) {
        await auditFailure(db, anonymous, username, user, !user ? 'unknown_user' : 'wrong_password');
        throw new AppError('UNAUTHENTICATED', WRONG_PAIR);
      }
      if (!user.active) {
        await attempt.settle('not_a_guess');
        await auditFailure(db, anonymous, username, user, 'inactive');
        throw new AppError('ACCOUNT_DEACTIVATED', 'This account is deactivated; ask an admin to reactivate it.');
      }
      if (user.totpEnabled) {
        if (otp === undefined || otp.trim() === '') {
          await attempt.settle('not_a_guess');
          throw new AppError('OTP_REQUIRED', 'Enter the 6-digit code from your authenticator app (or a recovery code).');
        }
        if (!(await checkOtp(db, user, otp))) {
          // A wrong code stays counted: guessing codes is throttled like guessing passwords.
          await auditFailure(db, anonymous, username, user, 'wrong_otp');
          throw new AppError('OTP_REQUIRED', 'That code is wrong or was used already; enter a current code.');
        }
      }
      await attempt.settle('success');
      const session: SessionUser = { id: user.id, username: user.username, role: user.role as SessionUser['role'], areaId: user.areaId };
      if (legacy) await rehashLegacyPassword(db, auditMeta(c, session), user, password);
      await writeAudit(db, auditMeta(c, session), { action: 'auth.login', entityType: 'user', entityId: user.id, after: { via: c.req.path.endsWith('/token') ? 'token' : 'cookie' } });
      return { session, locale: user.locale ?? null };
    });
  } catch (err) {
    // No password was checked (the database was down, say): an outage must not count against the person retrying.
    if (!checked) await attempt.settle('not_a_guess');
    throw err;
  }
}

/**
 * `carryLocale`: the browser's cookie session carries the user's language in its token, so the app's start
 * (/me) reads no database for it (the cookie is re-issued when the language changes). Bearer tokens do not:
 * a device may not pick up a re-issued token, and /me then reads the language from the database.
 */
async function signIn(c: Context<AppEnv>, body: z.infer<typeof credentialsSchema>, carryLocale: boolean, now?: number) {
  const s = settings(c.env);
  const { session, locale } = await authenticate(c, s, body.username, body.password, body.otp);
  return { ...(await issueToken(s.SESSION_SECRET, carryLocale ? { ...session, locale } : session, s.SESSION_TTL_SECONDS, now, s.SESSION_IDLE_SECONDS)), locale };
}

export const authRoutes = new Hono<AppEnv>()
  .post('/login', ...limitBody, validate('json', credentialsSchema), async (c) => {
    const { token, user, locale } = await signIn(c, c.req.valid('json'), true);
    setSessionCookie(c, token, user);
    // timeZone: the deployment's TIME_ZONE, in which the UI shows every time; locale: the user's language.
    return c.json({ user: publicUser(user), timeZone: settings(c.env).TIME_ZONE, locale } satisfies LoginResponse);
  })
  .post('/token', ...limitBody, validate('json', credentialsSchema), async (c) => {
    const { token, user } = await signIn(c, c.req.valid('json'), false);
    // expiresAt: the absolute end; idleExpiresAt: when it ends without use (see X-Session-Token refreshes).
    return c.json({ token, expiresAt: new Date(user.exp).toISOString(), idleExpiresAt: new Date(user.idleUntil).toISOString(), user: publicUser(user) } satisfies TokenResponse);
  })
  // Ends this session everywhere (this isolate at once, every other within REVOCATION_REFRESH_SECONDS).
  .post('/logout', async (c) => {
    const presented = presentedToken(c);
    const session = presented ? await verifyToken(settings(c.env).SESSION_SECRET, presented.token) : null;
    if (session) {
      await revokeSession(c.env, session.sid, session.exp);
      // Sign-out must work with the database down: its audit row is best effort.
      await withDb(settings(c.env), (db) => writeAudit(db, auditMeta(c, session), { action: 'auth.logout', entityType: 'user', entityId: session.id })).catch(
        (err) => log.error('logout audit failed', { requestId: c.get('requestId'), ...errorFields(err) }),
      );
    }
    deleteCookie(c, SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
    return c.body(null, 204);
  })
  // locale: the language the user chose ('en' | 'hi'), null when never chosen (the UI then uses the browser's).
  // Left out when the database cannot say in time: the session itself needs no database.
  .get('/me', requireUser, async (c) => {
    const user: AuthUser = c.get('user');
    const s = settings(c.env);
    // Carried in the token (sign-in, or this session's last change of it): no database on the app's start.
    if (user.locale !== undefined) return c.json({ user: publicUser(user), timeZone: s.TIME_ZONE, locale: user.locale });
    // A token from before the language was carried: through the read path (a kept connection over TCP): /me is on every app start, so it must not pay for a
    // new database connection (that cost the scanner's first load 1.4 s in bench:ui).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), LOCALE_READ_TIMEOUT_MS)));
    const locale = await Promise.race([withReadDb(c.env, (db) => findUserLocale(db, user.id)), timeout])
      .catch((err: unknown) => {
        console.error('me: language unavailable', err instanceof Error ? err.message : err);
        return undefined;
      })
      .finally(() => clearTimeout(timer));
    return c.json({ user: publicUser(user), timeZone: s.TIME_ZONE, ...(locale === undefined ? {} : { locale }) } satisfies MeResponse);
  })
  // The signed-in user's own settings: { locale: 'en' | 'hi' | null }, audited (user.locale, before and after).
  .patch('/me', requireUser, ...limitBody, validate('json', mePatchSchema), async (c) => {
    const user: AuthUser = c.get('user');
    const { locale } = c.req.valid('json');
    const s = settings(c.env);
    const ok = await withDb(s, (db) => setUserLocale(db, auditMeta(c), user.id, locale));
    if (!ok) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
    // A cookie session carries the new language from now on (its /me answers from the token); the user's
    // other browser sessions keep the one they signed in with until they sign in again.
    if (presentedToken(c)?.via === 'cookie') {
      const { token, user: next } = await refreshToken(s.SESSION_SECRET, user, s.SESSION_IDLE_SECONDS, Date.now(), locale);
      setSessionCookie(c, token, next);
      // Re-issued here already: the middleware's idle refresh would put the old language back.
      c.set('sessionEnded', true);
    }
    return c.json({ user: publicUser(user), timeZone: s.TIME_ZONE, locale } satisfies LoginResponse);
  })
  // The signed-in user's own password: needs the current one; every other session of the user ends.
  .post('/password', requireUser, ...limitBody, validate('json', passwordChangeSchema), async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    const me = c.get('user');
    const problem = passwordProblem(newPassword, me.username);
    if (problem) throw new AppError('INVALID_INPUT', `newPassword: ${problem}`);
    if (newPassword === currentPassword) throw new AppError('INVALID_INPUT', 'newPassword: choose a password different from the current one.');
    await withDb(settings(c.env), async (db) => {
      await confirmCurrentPassword(c, await activeRow(db, me.id), currentPassword);
      if (!(await changeOwnPassword(db, auditMeta(c), me.id, await hashPassword(newPassword)))) {
        throw new AppError('UNAUTHENTICATED', 'Sign in first.');
      }
    });
    // Every session of this user ends, this one included; the caller gets a fresh session at once.
    const fresh = await restartOwnSession(c);
    if (fresh.via === 'cookie') return c.json({ user: publicUser(fresh.user) } satisfies PasswordChangeResponse);
    return c.json({ user: publicUser(fresh.user), token: fresh.token, expiresAt: new Date(fresh.user.exp).toISOString() } satisfies PasswordChangeResponse);
  })
  // TOTP for admins: setup stores a new secret (not yet enabled) and returns it with its otpauth URI.
  .post('/totp/setup', requireUser, requireRole('admin'), ...limitBody, validate('json', totpSetupSchema), async (c) => {
    const me = c.get('user');
    const { currentPassword } = c.req.valid('json');
    const secret = newTotpSecret();
    const stored = await withDb(settings(c.env), async (db) => {
      await confirmCurrentPassword(c, await activeRow(db, me.id), currentPassword);
      return storePendingSecret(db, auditMeta(c), me.id, secret);
    });
    if (!stored) throw new AppError('CONFLICT', 'TOTP is already enabled for this account.');
    return c.json({ secret, otpauthUri: otpauthUri(secret, me.username) } satisfies TotpSetupResponse);
  })
  // Verifying a first code enables TOTP and returns the recovery codes, shown this once (only hashes are kept).
  .post('/totp/verify', requireUser, requireRole('admin'), ...limitBody, validate('json', totpVerifySchema), async (c) => {
    const me = c.get('user');
    const { otp, currentPassword } = c.req.valid('json');
    await limitTotpAttempts(c, `totp-verify:${me.id}`);
    const codes = newRecoveryCodes();
    await withDb(settings(c.env), async (db) => {
      const row = await activeRow(db, me.id);
      await confirmCurrentPassword(c, row, currentPassword);
      if (!row.totpSecret) throw new AppError('CONFLICT', 'Start with POST /api/auth/totp/setup.');
      if (row.totpEnabled) throw new AppError('CONFLICT', 'TOTP is already enabled for this account.');
      const step = totpStep(row.totpSecret, row.username, otp.trim());
      if (step === null) throw new AppError('INVALID_INPUT', 'otp: that code is wrong; enter the current 6-digit code.');
      const hashes = await Promise.all(codes.map(hashRecoveryCode));
      if (!(await enableTotp(db, auditMeta(c), me.id, step, hashes))) {
        throw new AppError('CONFLICT', 'That code was used already, or TOTP was enabled meanwhile.');
      }
    });
    return c.json({ enabled: true, recoveryCodes: codes } satisfies TotpVerifyResponse);
  })
  // Turning one's own TOTP off: the current password and a current code (or a recovery code). Any signed-in
  // user, so an admin demoted while TOTP was on can still turn it off. Lost both? An admin resets it.
  .post('/totp/disable', requireUser, ...limitBody, validate('json', totpDisableSchema), async (c) => {
    const me = c.get('user');
    const { currentPassword, otp } = c.req.valid('json');
    await limitTotpAttempts(c, `totp-disable:${me.id}`);
    await withDb(settings(c.env), async (db) => {
      const row = await activeRow(db, me.id);
      await confirmCurrentPassword(c, row, currentPassword);
      if (!row.totpEnabled) throw new AppError('CONFLICT', 'TOTP is not enabled for this account.');
      if (!(await checkOtp(db, row, otp))) throw new AppError('INVALID_INPUT', 'otp: that code is wrong or was used already; enter a current code.');
      if (!(await clearTotp(db, auditMeta(c), me.id, 'auth.totp_disable'))) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
    });
    return c.json({ enabled: false } satisfies TotpDisableResponse);
  });

/** The signed-in user's row, for checks that need the stored password; a deactivated user is signed out. */
async function activeRow(db: Db, id: number): Promise<UserRow> {
  const row = await findUserById(db, id);
  if (!row || !row.active) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  return row;
}

/** Codes typed by a signed-in user, per user: a 6-digit code must not be guessable in bulk. */
const CODE_ATTEMPTS_PER_MINUTE = 5;

async function limitTotpAttempts(c: Context<AppEnv>, key: string): Promise<void> {
  const limit = await limiterFor(c.env, key).hit(key, CODE_ATTEMPTS_PER_MINUTE, 60);
  if (!limit.allowed) throw new AppError('RATE_LIMITED', `Too many attempts; try again in ${limit.retryAfterSeconds} s.`, { retryAfterSeconds: limit.retryAfterSeconds });
}
