// Return tickets (issue 13, TraitorTrack's IPT returns): the Worker authenticates, validates and authorizes;
// the ticket's Durable Object decides (create, scans, finalize, cancel). The list reads Postgres.
//
// Roles: billers and admins create tickets, scan parents into them, finalize and cancel; supervisors may read
// them (like bills: returned parents come back to their floor); dispatchers have no access.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { scanBodySchema } from '../../shared/protocol';
import { createReturnBodySchema, isReturnCode, makeReturnCode, normalizeReturnCode, RETURN_CODE_FORMAT, RETURN_STATUSES } from '../../shared/returns';
import type { SessionUser } from '../../shared/types';
import type { RpcResult } from '../../durable/rpc';
import type { ReturnTicketView } from '../../shared/returns';
import { returnFor } from '../../durable/stubs';
import type { ReturnActor } from '../../durable/returns/return-ticket';
import { auditMeta } from '../audit/record';
import { requireRole } from '../auth/middleware';
import { listAreas } from '../../db/areas';
import { pageQuerySchema } from '../../db/list';
import { listReturns } from '../../db/returns';
import { withDb } from '../../db/with-db.workerd';
import { limitBody } from '../http/body-limit';
import { unwrap } from '../http/unwrap';
import { validate } from '../http/validate';
import { idParam } from '../read/params';
import { settings } from '../../config/settings';
import type { AppEnv, AuthUser } from '../types';
import type { ReturnPage, ReturnResponse, ReturnScanResponse } from '../../shared/api';

const READERS = ['biller', 'admin', 'supervisor'] as const;
const WRITERS = ['biller', 'admin'] as const;
/** Codes are random per day (65,536 a day): a clash is rare, a few tries always find a free one. */
const CODE_ATTEMPTS = 5;

function sessionUser(u: AuthUser): SessionUser {
  return { id: u.id, username: u.username, role: u.role, areaId: u.areaId };
}

function actor(c: Context<AppEnv>): ReturnActor {
  return { user: sessionUser(c.get('user')), audit: auditMeta(c) };
}

function codeParam(raw: string): string {
  const code = normalizeReturnCode(raw);
  if (!isReturnCode(code)) {
    const shown = code.length > 64 ? `${code.slice(0, 64)}…` : code;
    throw new AppError('INVALID_INPUT', `"${shown}" is not a return ticket code: expected ${RETURN_CODE_FORMAT}.`);
  }
  return code;
}

export const listQuerySchema = z
  .object({
    status: z.enum(RETURN_STATUSES, { error: 'status must be open, finalized or cancelled' }).optional(),
    areaId: idParam('areaId').optional(),
    q: z.string().trim().max(100, 'q is at most 100 characters').optional(),
  })
  .extend(pageQuerySchema.shape);

export const returnRoutes = new Hono<AppEnv>()
  .post('/', ...limitBody, requireRole(...WRITERS), validate('json', createReturnBodySchema), async (c) => {
    const body = c.req.valid('json');
    const s = settings(c.env);
    const areas = await withDb(s, (db) => listAreas(db));
    if (!areas.some((a) => a.id === body.areaId)) {
      throw new AppError('INVALID_INPUT', `Invalid areaId: no dispatch area has id ${body.areaId}.`);
    }
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const code = makeReturnCode(Date.now(), s.TIME_ZONE);
      const created = (await returnFor(c.env, code).create({ code, areaId: body.areaId, notes: body.notes || null }, actor(c))) as RpcResult<ReturnTicketView>;
      if (created.ok) return c.json({ ticket: created.value } satisfies ReturnResponse, 201);
      if (created.error.code !== 'CONFLICT') unwrap(created);
    }
    throw new AppError('UNAVAILABLE', 'No free return ticket code was found; try again.');
  })
  .get('/', requireRole(...READERS), validate('query', listQuerySchema), async (c) => {
    const query = c.req.valid('query');
    const page = await withDb(settings(c.env), (db) =>
      listReturns(db, { status: query.status, areaId: query.areaId, q: query.q || undefined }, { limit: query.limit, cursor: query.cursor }),
    );
    return c.json(page satisfies ReturnPage);
  })
  .get('/:code', requireRole(...READERS), async (c) => {
    const code = codeParam(c.req.param('code'));
    return c.json({ ticket: unwrap(await returnFor(c.env, code).get(code)) } satisfies ReturnResponse);
  })
  .post('/:code/parents', ...limitBody, requireRole(...WRITERS), validate('json', scanBodySchema), async (c) => {
    const code = codeParam(c.req.param('code'));
    const { qr, scanId } = c.req.valid('json');
    return c.json(unwrap(await returnFor(c.env, code).scanParent(code, qr, actor(c), scanId)) satisfies ReturnScanResponse);
  })
  .post('/:code/finalize', requireRole(...WRITERS), async (c) => {
    const code = codeParam(c.req.param('code'));
    return c.json({ ticket: unwrap(await returnFor(c.env, code).finalize(code, actor(c))) } satisfies ReturnResponse);
  })
  .post('/:code/cancel', requireRole(...WRITERS), async (c) => {
    const code = codeParam(c.req.param('code'));
    return c.json({ ticket: unwrap(await returnFor(c.env, code).cancel(code, actor(c))) } satisfies ReturnResponse);
  });
