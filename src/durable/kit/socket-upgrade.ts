// The first step of every object's WebSocket upgrade (parent, bill, board): a real upgrade, and the identity
// the Worker checked and passed along in X-TT-User. One place, so the refusals read the same everywhere.
import { socketUserSchema, type SocketUser } from '../parent/socket-user';

/** The signed-in user of the upgrade, or the response refusing it (426 not an upgrade, 401 no identity). */
export function upgradeIdentity(request: Request): SocketUser | Response {
  if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
    return Response.json({ error: { code: 'INVALID_INPUT', message: 'Expected a WebSocket upgrade.' } }, { status: 426 });
  }
  let user: unknown = null;
  try {
    user = JSON.parse(request.headers.get('X-TT-User') ?? 'null');
  } catch {
    // refused below
  }
  const parsed = socketUserSchema.safeParse(user);
  return parsed.success ? parsed.data : Response.json({ error: { code: 'UNAUTHENTICATED', message: 'Not signed in.' } }, { status: 401 });
}
