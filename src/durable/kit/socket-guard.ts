// The one piece that keeps an object's WebSockets honest, shared by ParentSession, BillSession and LiveBoard:
// - a socket lives only as long as its session: every message is checked (expiry, idle for parent sockets,
//   the revocation list), every fan-out skips and closes sockets whose session ended, from the isolate's
//   copy of the revocation list without I/O, and while sockets are open an alarm sweep (the object's
//   `sweep` lane, next to its flush) closes ended ones even when nobody sends or scans anything;
// - each socket has a message rate (RATE_LIMITED error frames, then close 4008) and each object a cap on
//   sockets (error frame TOO_MANY_SOCKETS, then close 4009).
// Sign-out, deactivation, role or area change (all revokeUser/revokeSession) and expiry therefore close a
// socket within about 2 × SOCKET_SWEEP_SECONDS (30 s by default), inside PRODUCT.md's 60 s.
import { CLOSE_CODES, CLOSE_REASONS } from '../../shared/close-codes';
import type { ErrorBody } from '../../shared/errors';
import { isRevoked, isRevokedCached, loadRevocations } from '../auth/revocation';
import { settings } from '../../config/settings';
import type { AlarmScheduler } from '../alarm-scheduler';
import { socketUserSchema, type SocketUser } from '../parent/socket-user';
import { SESSION_ENDED_CLOSE, SocketActivity } from '../socket-session';
import { closeQuietly } from '../sockets';
import { retryAfterMs, takeMessage, type RateBucket, type RateLimits } from './message-rate';

/** The alarm lane of the session sweep (see alarm-scheduler.ts). */
export const SWEEP_LANE = 'sweep';

export interface SocketGuardOptions {
  /** Parent sockets idle out with their session (SESSION_IDLE_SECONDS); watchers only end with it. */
  idle: boolean;
}

export class SocketGuard {
  private readonly activity = new SocketActivity();
  private readonly users = new WeakMap<WebSocket, SocketUser | null>();
  private readonly buckets = new WeakMap<WebSocket, RateBucket>();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly alarms: AlarmScheduler,
    private readonly options: SocketGuardOptions,
  ) {}

  /**
   * Call while the object loads (inside blockConcurrencyWhile, after `alarms.load()`): an object woken with
   * hibernated sockets gets the revocation list before it fans anything out, and keeps its sweep going.
   */
  async resume(): Promise<void> {
    if (this.ctx.getWebSockets().length === 0) return;
    await loadRevocations(this.env).catch((err) => console.error('revocation list not loaded; the sweep will retry', err));
    if (!this.alarms.isPending(SWEEP_LANE)) this.alarms.soon(this.sweepMs(), SWEEP_LANE);
  }

  /** The open sockets of the object. */
  sockets(): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => ws.readyState === 1 /* OPEN */);
  }

  /**
   * Accepts an upgrade for `user` (already authenticated by the Worker), sends `firstFrame()` (computed
   * after any await here, so it is current) and starts the sweep. Over the object's socket cap the socket is
   * opened only to say why and closed with 4009 (a browser cannot read an HTTP status of a refused upgrade).
   */
  async accept(user: SocketUser, firstFrame: () => string): Promise<Response> {
    await loadRevocations(this.env).catch((err) => console.error('revocation list not loaded', err));
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    const max = settings(this.env).SOCKETS_PER_OBJECT;
    if (this.sockets().length >= max) {
      server.accept();
      server.send(errorFrame({ code: 'TOO_MANY_SOCKETS', message: `This holds ${max} connections already; try again in a minute.`, limit: max }));
      server.close(CLOSE_CODES.TOO_MANY_SOCKETS, CLOSE_REASONS[CLOSE_CODES.TOO_MANY_SOCKETS]);
      return new Response(null, { status: 101, webSocket: client });
    }
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment(user);
    this.users.set(server, user);
    server.send(firstFrame());
    this.alarms.soon(this.sweepMs(), SWEEP_LANE);
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Checks a socket's message before the object acts on it: the session (expired, idle, revoked → close
   * 4001) and the socket's rate (over it → an error frame; still going → close 4008). The user, or null
   * when the message must be ignored (the socket has been answered or closed). A message is activity.
   */
  async admit(ws: WebSocket, now = Date.now()): Promise<SocketUser | null> {
    // Messages still arriving on a socket this object already closed (a limit, an ended session) are dropped.
    if (ws.readyState !== 1 /* OPEN */) return null;
    const user = this.userOf(ws);
    const s = settings(this.env);
    const alive = user !== null && (this.options.idle ? this.activity.touch(ws, user, now, s.SESSION_IDLE_SECONDS * 1000) : user.exp > now);
    if (!alive) {
      this.end(ws);
      return null;
    }
    const limits: RateLimits = { perSecond: s.SOCKET_MESSAGES_PER_SECOND, burst: s.SOCKET_MESSAGE_BURST };
    const { bucket, verdict } = takeMessage(this.buckets.get(ws), now, limits);
    this.buckets.set(ws, bucket);
    if (verdict === 'close') {
      closeQuietly(ws, CLOSE_CODES.RATE_LIMITED, CLOSE_REASONS[CLOSE_CODES.RATE_LIMITED]);
      return null;
    }
    if (verdict === 'refuse') {
      const wait = retryAfterMs(bucket, limits);
      send(ws, errorFrame({ code: 'RATE_LIMITED', message: `Too many messages on this socket (at most ${limits.perSecond} a second); this one was ignored.`, retryAfterMs: wait }));
      return null;
    }
    if (await isRevoked(this.env, user)) {
      this.end(ws);
      return null;
    }
    return user;
  }

  /**
   * Sends `text` to every socket whose session is still on; ended ones are closed instead. No I/O: the
   * revocation check reads the isolate's copy of the list (loaded at the upgrade or at start).
   */
  broadcast(text: string, now = Date.now()): void {
    for (const ws of this.ctx.getWebSockets()) {
      if (this.endedNow(ws, now)) {
        this.end(ws);
        continue;
      }
      send(ws, text);
    }
  }

  /** The alarm's `sweep` lane: closes every socket whose session ended; runs again while sockets remain. */
  async sweep(now = Date.now()): Promise<void> {
    const maxAge = this.sweepMs();
    for (const ws of this.ctx.getWebSockets()) {
      const user = this.userOf(ws);
      let ended = user === null || this.expired(ws, user, now);
      if (!ended && user) {
        try {
          ended = await isRevoked(this.env, user, maxAge);
        } catch (err) {
          console.error('socket sweep: revocation list unreachable; next round', err);
        }
      }
      if (ended) this.end(ws);
    }
    if (this.sockets().length > 0) this.alarms.soon(maxAge, SWEEP_LANE);
  }

  private sweepMs(): number {
    return settings(this.env).SOCKET_SWEEP_SECONDS * 1000;
  }

  private expired(ws: WebSocket, user: SocketUser, now: number): boolean {
    return this.options.idle ? this.activity.over(ws, user, now) : user.exp <= now;
  }

  private endedNow(ws: WebSocket, now: number): boolean {
    const user = this.userOf(ws);
    return user === null || this.expired(ws, user, now) || isRevokedCached(this.env, user) === true;
  }

  private userOf(ws: WebSocket): SocketUser | null {
    let user = this.users.get(ws);
    if (user === undefined) {
      const parsed = socketUserSchema.safeParse(ws.deserializeAttachment());
      user = parsed.success ? parsed.data : null;
      this.users.set(ws, user);
    }
    return user;
  }

  private end(ws: WebSocket): void {
    closeQuietly(ws, SESSION_ENDED_CLOSE.code, SESSION_ENDED_CLOSE.reason);
  }
}

function errorFrame(error: ErrorBody): string {
  return JSON.stringify({ type: 'error', error });
}

function send(ws: WebSocket, text: string): void {
  try {
    ws.send(text);
  } catch {
    // closing socket
  }
}
