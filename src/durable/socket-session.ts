// Session checks for open WebSockets, without I/O per message: the session rides in the socket's
// attachment (from the Worker's verified token), revocations come from the isolate's cached list.
import { isRevoked } from './auth/revocation';
import { CLOSE_CODES, CLOSE_REASONS } from '../shared/close-codes';

export interface SocketSession {
  id: number;
  sid: string;
  iat: number;
  exp: number;
  idleUntil?: number;
}

/** Persist a slid idle deadline at most this often (so a hibernated object wakes with a recent one). */
const PERSIST_EVERY_MS = 5 * 60_000;

/**
 * Messages on a socket count as activity: each one slides that socket's idle deadline in memory. A socket
 * whose last message is older than the idle timeout, or whose session reached its absolute end, is over.
 */
export class SocketActivity {
  private readonly deadlines = new WeakMap<WebSocket, number>();

  /** True when the socket may go on (and slides its deadline); false when its session idled out or expired. */
  touch(ws: WebSocket, session: SocketSession, now: number, idleMs: number): boolean {
    if (session.exp <= now) return false;
    const deadline = this.deadlines.get(ws) ?? session.idleUntil ?? session.exp;
    if (deadline <= now) return false;
    const next = Math.min(session.exp, now + idleMs);
    this.deadlines.set(ws, next);
    if (next - (session.idleUntil ?? 0) > PERSIST_EVERY_MS) {
      session.idleUntil = next;
      ws.serializeAttachment(session);
    }
    return true;
  }
}

/** Expired (absolute) or signed out: the socket must close. Watching sockets use this without idle checks. */
export async function socketSessionEnded(env: Env, session: SocketSession | null, now: number): Promise<boolean> {
  return !session || session.exp <= now || (await isRevoked(env, session));
}

export const SESSION_ENDED_CLOSE = {
  code: CLOSE_CODES.SESSION_ENDED,
  reason: CLOSE_REASONS[CLOSE_CODES.SESSION_ENDED],
} as const;
