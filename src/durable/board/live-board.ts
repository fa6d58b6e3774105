// A supervisor's live board: one object per dispatch area plus one for all areas. Parents push their
// summaries here (already coalesced at the source); the board keeps the latest per parent, sends a
// snapshot to each new socket and every change to all sockets. Area boards forward their changes to
// the all-areas board at most once a second, so that board never relays every session event.
import { DurableObject } from 'cloudflare:workers';
import type { BoardMessage } from '../../shared/protocol';
import type { SessionSummary } from '../../shared/types';
import { socketUserSchema } from '../parent/socket-user';
import { SESSION_ENDED_CLOSE, socketSessionEnded, type SocketSession } from '../socket-session';
import { broadcast, closeQuietly } from '../sockets';
import { allBoard } from '../stubs';

const FORWARD_INTERVAL_MS = 1000;
/** Completed parents stay on the board this long (the UI fades them out after a minute). */
const COMPLETED_VISIBLE_MS = 2 * 60_000;
/** Open parents with no scan for this long are dropped from the board (abandoned sessions). */
const IDLE_FORGET_MS = 24 * 3600_000;
/** How often changes trigger a check of the watchers' sessions (expired or signed out → closed). */
const SESSION_SWEEP_MS = 5000;

interface Tracked {
  summary: SessionSummary;
  updatedAt: number;
}

export class LiveBoard extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly sessions = new Map<string, Tracked>();
  private readonly toForward = new Map<string, SessionSummary>();
  private readonly dirty = new Set<string>();
  private alarmPending = false;
  private lastSweep = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS sessions (parent_qr TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at INTEGER NOT NULL)`);
    for (const row of this.sql.exec<{ body: string; updated_at: number }>('SELECT body, updated_at FROM sessions')) {
      const summary = JSON.parse(row.body) as SessionSummary;
      this.sessions.set(summary.parentQr, { summary, updatedAt: row.updated_at });
    }
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** From a ParentSession, on an area board. */
  async update(summary: SessionSummary): Promise<void> {
    this.apply(summary);
    this.toForward.set(summary.parentQr, summary);
    this.ensureAlarm();
  }

  /** From an area board, on the all-areas board. */
  async updateMany(summaries: SessionSummary[]): Promise<void> {
    for (const s of summaries) this.apply(s);
    this.ensureAlarm();
  }

  async snapshot(): Promise<SessionSummary[]> {
    return this.visible(Date.now());
  }

  /** Open sessions on this board, in all and per area: the dashboard's "active sessions" (no list sent). */
  async activeCounts(): Promise<{ total: number; byArea: Record<string, number> }> {
    const byArea: Record<string, number> = {};
    let total = 0;
    for (const s of this.visible(Date.now())) {
      if (s.status !== 'open') continue;
      total++;
      byArea[String(s.areaId)] = (byArea[String(s.areaId)] ?? 0) + 1;
    }
    return { total, byArea };
  }

  private apply(summary: SessionSummary): void {
    this.sessions.set(summary.parentQr, { summary, updatedAt: Date.now() });
    // Persisted by the next alarm (within a second), not per event: an area's board takes every scan
    // of the area, and its snapshot only has to survive a restart approximately (parents push again
    // on their next change).
    this.dirty.add(summary.parentQr);
    const now = Date.now();
    if (now - this.lastSweep > SESSION_SWEEP_MS) {
      this.lastSweep = now;
      this.closeEndedSessions(now).catch((err) => console.error('board session sweep failed', err));
    }
    this.broadcast({ type: 'session', ...summary });
  }

  /**
   * Watching counts as activity (boards are screens on a wall), so only the absolute expiry and sign-out
   * end a watcher's socket: checked on its messages and, at most every few seconds, when changes flow.
   */
  private async closeEndedSessions(now: number): Promise<void> {
    for (const ws of this.ctx.getWebSockets()) {
      if (await socketSessionEnded(this.env, this.sessionOf(ws), now)) closeQuietly(ws, SESSION_ENDED_CLOSE.code, SESSION_ENDED_CLOSE.reason);
    }
  }

  private sessionOf(ws: WebSocket): SocketSession | null {
    const parsed = socketUserSchema.safeParse(ws.deserializeAttachment());
    return parsed.success ? parsed.data : null;
  }

  private persistDirty(): void {
    for (const qr of this.dirty) {
      const t = this.sessions.get(qr);
      if (t) this.sql.exec('INSERT OR REPLACE INTO sessions (parent_qr, body, updated_at) VALUES (?, ?, ?)', qr, JSON.stringify(t.summary), t.updatedAt);
    }
    this.dirty.clear();
  }

  private visible(now: number): SessionSummary[] {
    const out: SessionSummary[] = [];
    for (const { summary, updatedAt } of this.sessions.values()) {
      if (summary.status === 'completed' && now - updatedAt > COMPLETED_VISIBLE_MS) continue;
      out.push(summary);
    }
    return out.sort((a, b) => a.parentQr.localeCompare(b.parentQr));
  }

  private broadcast(message: BoardMessage): void {
    broadcast(this.ctx, JSON.stringify(message));
  }

  private ensureAlarm(): void {
    if (this.alarmPending) return;
    this.alarmPending = true;
    this.ctx.storage.setAlarm(Date.now() + FORWARD_INTERVAL_MS).catch((err) => console.error("setAlarm failed", err));
  }

  override async alarm(): Promise<void> {
    this.alarmPending = false;
    this.persistDirty();
    const batch = [...this.toForward.values()];
    this.toForward.clear();
    if (batch.length > 0) {
      try {
        await allBoard(this.env).updateMany(batch);
      } catch (err) {
        for (const s of batch) if (!this.toForward.has(s.parentQr)) this.toForward.set(s.parentQr, s);
        console.error('forward to all-areas board failed', err);
        this.ensureAlarm();
      }
    }
    this.prune(Date.now());
  }

  /** Forgets parents that have left the board for good, so it stays small. */
  private prune(now: number): void {
    for (const [qr, t] of this.sessions) {
      const expired =
        (t.summary.status === 'completed' && now - t.updatedAt > COMPLETED_VISIBLE_MS) || now - t.updatedAt > IDLE_FORGET_MS;
      if (expired) {
        this.sessions.delete(qr);
        this.sql.exec('DELETE FROM sessions WHERE parent_qr = ?', qr);
      }
    }
  }

  override async fetch(request: Request): Promise<Response> {
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
    if (!parsed.success) return Response.json({ error: { code: 'UNAUTHENTICATED', message: 'Not signed in.' } }, { status: 401 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    pair[1].serializeAttachment(parsed.data);
    pair[1].send(JSON.stringify({ type: 'snapshot', sessions: this.visible(Date.now()) } satisfies BoardMessage));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket): Promise<void> {
    if (await socketSessionEnded(this.env, this.sessionOf(ws), Date.now())) {
      ws.close(SESSION_ENDED_CLOSE.code, SESSION_ENDED_CLOSE.reason);
      return;
    }
    // The board is read-only; any message asks for a fresh snapshot.
    ws.send(JSON.stringify({ type: 'snapshot', sessions: this.visible(Date.now()) } satisfies BoardMessage));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeQuietly(ws, code, reason);
  }
}
