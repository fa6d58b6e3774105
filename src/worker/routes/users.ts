// Users administration (admins only): list, create, change role/area/active, reset password or TOTP. The
// rules live in the statements of db/user-admin.ts; this file validates, hashes and ends changed users'
// sessions. An admin changing their own password here gives the current one, as on /api/auth/password.
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { isAreaBound } from '../../shared/area-access';
import { ROLES } from '../../shared/types';
import { auditMeta } from '../audit/record';
import { confirmCurrentPassword } from '../auth/current-password';
import { requireRole } from '../auth/middleware';
import { announceToken, restartOwnSession } from '../auth/own-session';
import { hashPassword } from '../auth/password';
import { newPasswordSchema, passwordProblem, usernameSchema } from '../auth/password-policy';
import { revokeUser } from '../../durable/auth/revocation';
import { clearTotp } from '../../db/totp';
import { createUser, findUserView, listUsers, updateUser, type UpdateProblem } from '../../db/user-admin';
import { findUserById } from '../../db/users';
import { withDb } from '../../db/with-db.workerd';
import { limitBody } from '../http/body-limit';
import { validate } from '../http/validate';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import type { UserPage, UserResponse } from '../../shared/api';

const idSchema = z.coerce.number({ error: 'id must be a number' }).int().positive().max(2_147_483_647);
const areaIdSchema = z.number({ error: 'areaId must be a number' }).int().positive().max(2_147_483_647);

export const listQuerySchema = z.strictObject({
  role: z.enum(ROLES).optional(),
  areaId: idSchema.optional(),
  active: z.enum(['true', 'false'], { error: 'active must be true or false' }).optional(),
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{1,9}$/, 'cursor is not one this API gave out').optional(),
});

export const createSchema = z.strictObject({
  username: usernameSchema,
  password: newPasswordSchema,
  role: z.enum(ROLES),
  areaId: areaIdSchema.nullable().optional(),
});

export const patchSchema = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    areaId: areaIdSchema.nullable().optional(),
    active: z.boolean({ error: 'active must be true or false' }).optional(),
    password: newPasswordSchema.optional(),
    /** Only with `password` on oneself: the password being replaced. */
    currentPassword: z.string().min(1, 'currentPassword is required').max(256).optional(),
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'currentPassword'), 'say what to change: role, areaId, active or password');

const UPDATE_ERRORS: Record<UpdateProblem, AppError> = {
  NOT_FOUND: new AppError('NOT_FOUND', 'No such user.'),
  LAST_ADMIN: new AppError('CONFLICT', 'This is the last active admin: make another admin first.'),
  OWN_ROLE: new AppError('FORBIDDEN', 'You cannot change your own role.'),
  OWN_ACTIVE: new AppError('FORBIDDEN', 'You cannot deactivate yourself.'),
  AREA_REQUIRED: new AppError('INVALID_INPUT', 'Dispatchers and supervisors need a dispatch area (areaId).'),
  AREA_UNKNOWN: new AppError('INVALID_INPUT', 'areaId: no such dispatch area.'),
};

function checkPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new AppError('INVALID_INPUT', `password: ${problem}`);
}

export const userRoutes = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .get('/', validate('query', listQuerySchema), async (c) => {
    const q = c.req.valid('query');
    const items = await withDb(settings(c.env), (db) =>
      listUsers(db, {
        role: q.role,
        areaId: q.areaId,
        active: q.active === undefined ? undefined : q.active === 'true',
        afterId: q.cursor === undefined ? undefined : Number(q.cursor),
        limit: q.limit,
      }),
    );
    const last = items[items.length - 1];
    return c.json({ items, nextCursor: items.length === q.limit && last ? String(last.id) : null } satisfies UserPage);
  })
  .post('/', ...limitBody, validate('json', createSchema), async (c) => {
    const body = c.req.valid('json');
    const areaId = body.areaId ?? null;
    if (isAreaBound(body.role) && areaId === null) throw UPDATE_ERRORS.AREA_REQUIRED;
    checkPassword(body.password, body.username);
    const passwordHash = await hashPassword(body.password);
    const outcome = await withDb(settings(c.env), (db) =>
      createUser(db, auditMeta(c), { username: body.username, passwordHash, role: body.role, areaId }),
    );
    if (!outcome.ok) {
      if (outcome.problem === 'USERNAME_TAKEN') throw new AppError('CONFLICT', `The username ${body.username} is taken (usernames ignore letter case).`);
      throw UPDATE_ERRORS.AREA_UNKNOWN;
    }
    return c.json({ user: outcome.user } satisfies UserResponse, 201);
  })
  .patch('/:id', ...limitBody, validate('param', z.object({ id: idSchema })), validate('json', patchSchema), async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const actor = c.get('user');
    const own = id === actor.id;
    if (body.currentPassword !== undefined && !(own && body.password !== undefined)) {
      throw new AppError('INVALID_INPUT', 'currentPassword: only with password, when changing your own.');
    }
    if (own && body.password !== undefined && body.currentPassword === undefined) {
      throw new AppError('INVALID_INPUT', 'currentPassword is required to change your own password.');
    }
    const s = settings(c.env);
    const outcome = await withDb(s, async (db) => {
      let passwordHash: string | undefined;
      if (body.password !== undefined) {
        const target = await findUserView(db, id);
        if (!target) throw UPDATE_ERRORS.NOT_FOUND;
        checkPassword(body.password, target.username);
        if (own) {
          const row = await findUserById(db, id);
          if (!row) throw UPDATE_ERRORS.NOT_FOUND;
          await confirmCurrentPassword(c, row, body.currentPassword!);
        }
        passwordHash = await hashPassword(body.password);
      }
      return updateUser(db, auditMeta(c), actor.id, id, { role: body.role, areaId: body.areaId, active: body.active, passwordHash });
    });
    if (!outcome.ok) throw UPDATE_ERRORS[outcome.problem];
    if (own && outcome.sessionsEnd) {
      // Like POST /api/auth/password: every session ends and the caller continues in a fresh one.
      announceToken(c, await restartOwnSession(c, outcome.user));
    } else if (outcome.sessionsEnd) {
      // Old sessions carry the old role/area or belong to a deactivated user: end them everywhere.
      await revokeUser(c.env, id);
    }
    return c.json({ user: outcome.user } satisfies UserResponse);
  })
  // For a user who lost both their authenticator and their recovery codes: TOTP off, secret forgotten,
  // their sessions ended; they set it up again after signing in with the password.
  .post('/:id/totp/reset', validate('param', z.object({ id: idSchema })), async (c) => {
    const { id } = c.req.valid('param');
    if (id === c.get('user').id) {
      throw new AppError('FORBIDDEN', 'Turn your own TOTP off with POST /api/auth/totp/disable (your password and a code).');
    }
    const user = await withDb(settings(c.env), async (db) => {
      if (!(await clearTotp(db, auditMeta(c), id, 'user.totp_reset'))) throw UPDATE_ERRORS.NOT_FOUND;
      return findUserView(db, id);
    });
    if (!user) throw UPDATE_ERRORS.NOT_FOUND;
    await revokeUser(c.env, id);
    return c.json({ user } satisfies UserResponse);
  });
