// Parent bags and child scans: the Worker authenticates and validates, the parent's Durable Object
// decides. Every answer of the object is an RpcResult mapped to HTTP here.
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import { isChildQr, normalizeQr, PARENT_FORMAT } from '../../shared/qr';
import { openParentBodySchema, scanBodySchema, scanIdSchema } from '../../shared/protocol';
import type { SessionUser } from '../../shared/types';
import { describeZodError } from '../../shared/validation';
import { parentFor as parentStub, registryFor } from '../../durable/stubs';
import { requireRole } from '../auth/middleware';
import { limitBody } from '../http/body-limit';
import { relayResponse } from '../http/upgrade';
import { unwrap } from '../http/unwrap';
import { validate } from '../http/validate';
import { parseParentQr } from '../qr-param';
import type { AppEnv, AuthUser } from '../types';
import { z } from 'zod';
import type { ChildRemovalResponse, ChildScanResponse, ParentCompleteResponse, ParentDeleteResponse, ParentResponse } from '../../shared/api';

const SCANNERS = ['dispatcher', 'supervisor', 'admin'] as const;

function sessionUser(u: AuthUser): SessionUser {
  return { id: u.id, username: u.username, role: u.role, areaId: u.areaId };
}

/** Optional JSON body: empty means `{}`, anything else must parse and validate. */
async function optionalJson<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await req.text();
  if (text.trim() === '') return schema.parse({});
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_INPUT', 'Request body is not valid JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `Invalid ${describeZodError(parsed.error, 'body')}.`);
  return parsed.data;
}

export const undoBodySchema = z.strictObject({ scanId: scanIdSchema.optional() });

export const parentRoutes = new Hono<AppEnv>()
  .post('/:qr/open', ...limitBody, requireRole(...SCANNERS), async (c) => {
    const raw = c.req.param('qr');
    const body = await optionalJson(c.req.raw, openParentBodySchema);
    let qr: string;
    try {
      qr = parseParentQr(raw);
    } catch (err) {
      // A known child bag gets the more useful role conflict rather than a format error.
      const asChild = normalizeQr(raw);
      if (isChildQr(asChild)) {
        const entry = await registryFor(c.env, asChild).lookup(asChild);
        if (entry?.role === 'child') {
          throw new AppError('QR_ROLE_CONFLICT', `${asChild} is a child bag and cannot be opened as a parent (expected ${PARENT_FORMAT}).`);
        }
      }
      throw err;
    }
    const parent = unwrap(await parentStub(c.env, qr).open(sessionUser(c.get('user')), qr, body.areaId, { requestId: c.get('requestId') }));
    return c.json({ parent } satisfies ParentResponse);
  })
  .get('/:qr', async (c) => {
    const qr = parseParentQr(c.req.param('qr'));
    return c.json({ parent: unwrap(await parentStub(c.env, qr).get(sessionUser(c.get('user')), qr)) } satisfies ParentResponse);
  })
  .post('/:qr/children', ...limitBody, requireRole(...SCANNERS), validate('json', scanBodySchema), async (c) => {
    const qr = parseParentQr(c.req.param('qr'));
    const { qr: childQr, scanId } = c.req.valid('json');
    const answer = await parentStub(c.env, qr).scan(sessionUser(c.get('user')), childQr, scanId, { requestId: c.get('requestId') });
    return c.json(unwrap(answer) satisfies ChildScanResponse);
  })
  // Admins free a label nothing depends on (issue 10 point 4); the parent's object decides (deletion.ts).
  .delete('/:qr', requireRole('admin'), async (c) => {
    const qr = parseParentQr(c.req.param('qr'));
    const deleted = unwrap(await parentStub(c.env, qr).deleteEmpty(sessionUser(c.get('user')), qr, { requestId: c.get('requestId') }));
    return c.json({ deleted: deleted.deleted, areaId: deleted.areaId } satisfies ParentDeleteResponse);
  })
  .delete('/:qr/children/:childQr', requireRole('supervisor', 'admin'), async (c) => {
    const qr = parseParentQr(c.req.param('qr'));
    const childQr = c.req.param('childQr');
    if (childQr.length > 64) throw new AppError('INVALID_QR', 'Child QR is at most 64 characters.');
    const removed = unwrap(await parentStub(c.env, qr).unlink(sessionUser(c.get('user')), childQr, { requestId: c.get('requestId') }));
    return c.json({ childCount: removed.childCount, status: removed.status, removed: removed.removed } satisfies ChildRemovalResponse);
  })
  .post('/:qr/undo', ...limitBody, requireRole(...SCANNERS), async (c) => {
    const qr = parseParentQr(c.req.param('qr'));
    const { scanId } = await optionalJson(c.req.raw, undoBodySchema);
    const removed = unwrap(await parentStub(c.env, qr).undo(sessionUser(c.get('user')), scanId, { requestId: c.get('requestId') }));
    return c.json({ removed: removed.removed, childCount: removed.childCount, status: removed.status } satisfies ChildRemovalResponse);
  })
  .post('/:qr/complete', requireRole(...SCANNERS), async (c) => {
    const qr = parseParentQr(c.req.param('qr'));
    const parent = unwrap(await parentStub(c.env, qr).complete(sessionUser(c.get('user'))));
    return c.json({ status: parent.status, parent } satisfies ParentCompleteResponse);
  })
  .get('/:qr/ws', requireRole(...SCANNERS), async (c) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
      throw new AppError('INVALID_INPUT', 'This endpoint needs a WebSocket upgrade.');
    }
    const qr = parseParentQr(c.req.param('qr'));
    const user = c.get('user');
    const headers = new Headers(c.req.raw.headers);
    headers.set('X-TT-User', JSON.stringify({ ...sessionUser(user), sid: user.sid, iat: user.iat, exp: user.exp, idleUntil: user.idleUntil }));
    return relayResponse(await parentStub(c.env, qr).fetch(new Request(c.req.raw.url, { headers })));
  });
