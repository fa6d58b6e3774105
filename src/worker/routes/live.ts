// The supervisors' live board: a snapshot and then every session change, from the area's LiveBoard
// object (or the all-areas one for admins and billers who ask for no area).
import { Hono } from 'hono';
import { isAreaBound } from '../../shared/area-access';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { allBoard, boardFor } from '../../durable/stubs';
import { requireRole } from '../auth/middleware';
import { relayResponse } from '../http/upgrade';
import { validate } from '../http/validate';
import type { AppEnv, AuthUser } from '../types';
import type { LiveSessionsResponse } from '../../shared/api';

export const querySchema = z.object({
  areaId: z.coerce.number({ error: 'areaId must be a number' }).int().positive().optional(),
});

function boardForUser(env: Env, user: AuthUser, areaId: number | undefined) {
  if (isAreaBound(user.role)) {
    if (areaId !== undefined && areaId !== user.areaId) {
      throw new AppError('AREA_FORBIDDEN', 'Supervisors watch their own dispatch area only.');
    }
    if (user.areaId === null) throw new AppError('FORBIDDEN', 'Your account has no dispatch area.');
    return boardFor(env, user.areaId);
  }
  return areaId === undefined ? allBoard(env) : boardFor(env, areaId);
}

export const liveRoutes = new Hono<AppEnv>()
  .use(requireRole('supervisor', 'admin', 'biller'))
  .get('/sessions', validate('query', querySchema), async (c) => {
    const board = boardForUser(c.env, c.get('user'), c.req.valid('query').areaId);
    return c.json({ sessions: await board.snapshot() } satisfies LiveSessionsResponse);
  })
  .get('/ws', validate('query', querySchema), async (c) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
      throw new AppError('INVALID_INPUT', 'This endpoint needs a WebSocket upgrade.');
    }
    const user = c.get('user');
    const board = boardForUser(c.env, user, c.req.valid('query').areaId);
    // The board keeps the session with the socket, to close it on expiry or sign-out.
    const headers = new Headers(c.req.raw.headers);
    headers.set(
      'X-TT-User',
      JSON.stringify({ id: user.id, username: user.username, role: user.role, areaId: user.areaId, sid: user.sid, iat: user.iat, exp: user.exp, idleUntil: user.idleUntil }),
    );
    return relayResponse(await board.fetch(new Request(c.req.raw.url, { headers })));
  });
