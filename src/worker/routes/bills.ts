// Bills: the Worker authenticates, validates and authorizes; the bill's Durable Object decides (create,
// parents, finalize, reopen, live totals). The list reads Postgres.
//
// Roles (PRODUCT.md "Roles"): billers and admins create bills, scan parents in, remove them and finalize;
// only admins reopen. Supervisors may read bills (list, one bill, its live socket) of all areas, since a
// bill spans areas and they watch the floor; dispatchers have no bill access.
import { Hono } from 'hono';
import { z } from 'zod';
import { createBillBodySchema, BILL_NO_FORMAT, isBillNo, normalizeBillNo, weighBillBodySchema } from '../../shared/bill';
import { AppError } from '../../shared/errors';
import { scanBodySchema } from '../../shared/protocol';
import { MAX_RAW_QR_LENGTH } from '../../shared/qr';
import type { SessionUser } from '../../shared/types';
import { billFor } from '../../durable/stubs';
import type { BillActor } from '../../durable/bill/bill-session';
import { auditMeta } from '../audit/record';
import { requireRole } from '../auth/middleware';
import { listBills } from '../../db/bills';
import { pageQuerySchema } from '../../db/list';
import { withDb } from '../../db/with-db.workerd';
import { limitBody } from '../http/body-limit';
import { unwrap } from '../http/unwrap';
import { relayResponse } from '../http/upgrade';
import { validate } from '../http/validate';
import { settings } from '../../config/settings';
import type { AppEnv, AuthUser } from '../types';
import type { Context } from 'hono';
import type { BillPage, BillResponse, BillScanResponse } from '../../shared/api';

const READERS = ['biller', 'admin', 'supervisor'] as const;
const WRITERS = ['biller', 'admin'] as const;

function sessionUser(u: AuthUser): SessionUser {
  return { id: u.id, username: u.username, role: u.role, areaId: u.areaId };
}

function actor(c: Context<AppEnv>): BillActor {
  return { user: sessionUser(c.get('user')), audit: auditMeta(c) };
}

/** A bill number from a path, normalized, or INVALID_INPUT saying the format. */
function billNoParam(raw: string): string {
  const billNo = normalizeBillNo(raw);
  if (!isBillNo(billNo)) {
    const shown = billNo.length > 64 ? `${billNo.slice(0, 64)}…` : billNo;
    throw new AppError('INVALID_INPUT', `"${shown}" is not a bill number: expected ${BILL_NO_FORMAT}.`);
  }
  return billNo;
}

export const listQuerySchema = z.object({
  status: z.enum(['empty', 'in_progress', 'completed'], { error: 'status must be empty, in_progress or completed' }).optional(),
  finalized: z.enum(['true', 'false'], { error: 'finalized must be true or false' }).optional(),
  q: z.string().trim().max(100, 'q is at most 100 characters').optional(),
}).extend(pageQuerySchema.shape);

export const billRoutes = new Hono<AppEnv>()
  .post('/', ...limitBody, requireRole(...WRITERS), validate('json', createBillBodySchema), async (c) => {
    const body = c.req.valid('json');
    const input = { ...body, description: body.description || null };
    const bill = unwrap(await billFor(c.env, input.billNo).create(input, actor(c)));
    return c.json({ bill } satisfies BillResponse, 201);
  })
  .get('/', requireRole(...READERS), validate('query', listQuerySchema), async (c) => {
    const query = c.req.valid('query');
    const page = await withDb(settings(c.env), (db) =>
      listBills(
        db,
        { status: query.status, finalized: query.finalized === undefined ? undefined : query.finalized === 'true', q: query.q || undefined },
        { limit: query.limit, cursor: query.cursor },
      ),
    );
    return c.json(page satisfies BillPage);
  })
  .get('/:billNo', requireRole(...READERS), async (c) => {
    const billNo = billNoParam(c.req.param('billNo'));
    return c.json({ bill: unwrap(await billFor(c.env, billNo).get(billNo)) } satisfies BillResponse);
  })
  // The load's measured weight: typed in by a biller, or set by a weighbridge device with a biller's token
  // (weightSource: 'weighbridge'). Extension of API.md (issue 9).
  .patch('/:billNo', ...limitBody, requireRole(...WRITERS), validate('json', weighBillBodySchema), async (c) => {
    const billNo = billNoParam(c.req.param('billNo'));
    return c.json({ bill: unwrap(await billFor(c.env, billNo).setWeight(billNo, c.req.valid('json'), actor(c))) } satisfies BillResponse);
  })
  .post('/:billNo/parents', ...limitBody, requireRole(...WRITERS), validate('json', scanBodySchema), async (c) => {
    const billNo = billNoParam(c.req.param('billNo'));
    const { qr, scanId } = c.req.valid('json');
    return c.json(unwrap(await billFor(c.env, billNo).addParent(billNo, qr, actor(c), scanId)) satisfies BillScanResponse);
  })
  .delete('/:billNo/parents/:qr', requireRole(...WRITERS), async (c) => {
    const billNo = billNoParam(c.req.param('billNo'));
    const qr = c.req.param('qr');
    if (qr.length > MAX_RAW_QR_LENGTH) throw new AppError('INVALID_QR', `QR is at most ${MAX_RAW_QR_LENGTH} characters.`);
    return c.json({ bill: unwrap(await billFor(c.env, billNo).removeParent(billNo, qr, actor(c))) } satisfies BillResponse);
  })
  .post('/:billNo/finalize', requireRole(...WRITERS), async (c) => {
    const billNo = billNoParam(c.req.param('billNo'));
    return c.json({ bill: unwrap(await billFor(c.env, billNo).finalize(billNo, actor(c))) } satisfies BillResponse);
  })
  .post('/:billNo/reopen', requireRole('admin'), async (c) => {
    const billNo = billNoParam(c.req.param('billNo'));
    return c.json({ bill: unwrap(await billFor(c.env, billNo).reopen(billNo, actor(c))) } satisfies BillResponse);
  })
  .get('/:billNo/ws', requireRole(...READERS), async (c) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
      throw new AppError('INVALID_INPUT', 'This endpoint needs a WebSocket upgrade.');
    }
    const billNo = billNoParam(c.req.param('billNo'));
    const user = c.get('user');
    const headers = new Headers(c.req.raw.headers);
    headers.set('X-TT-User', JSON.stringify({ ...sessionUser(user), sid: user.sid, iat: user.iat, exp: user.exp }));
    headers.set('X-TT-Bill', billNo);
    return relayResponse(await billFor(c.env, billNo).fetch(new Request(c.req.raw.url, { headers })));
  });
