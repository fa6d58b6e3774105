// A supervisor's live board: one object per dispatch area plus one for all areas. Parents push their
// summaries here (already coalesced at the source, at most one per BOARD_PUSH_INTERVAL_MS per parent); the
// board keeps the latest per parent, sends a snapshot to each new socket and its changes to all sockets,
// batched (issue 15 point 4): a change on a quiet board goes out at once, changes inside one
// BOARD_BROADCAST_MS window after a broadcast go out together at its end as one `sessions` frame (one
// `session` frame when the window holds one parent). Area boards forward their changes to the all-areas
// board at most once a second, so that board never relays every session event.
import { DurableObject } from 'cloudflare:workers';
import { settings } from '../../config/settings';
import type { BoardMessage } from '../../shared/protocol';
import type { SessionSummary } from '../../shared/types';
import { AlarmScheduler } from '../alarm-scheduler';
import { BatchWindow } from '../kit/batch-window';
import { SocketGuard, SWEEP_LANE } from '../kit/socket-guard';
import { upgradeIdentity } from '../kit/socket-upgrade';
import { closeQuietly } from '../sockets';
import { allBoard } from '../stubs';
import { errorFields, log } from '../../observability/log';

const FORWARD_INTERVAL_MS = 1000;
/** Completed parents stay on the board this long (the UI fades them out after a minute). */
const COMPLETED_VISIBLE_MS = 2 * 60_000;
/** Open parents with no scan for this long are dropped from the board (abandoned sessions). */
const IDLE_FORGET_MS = 24 * 3600_000;
/** The alarm lane that persists, forwards and prunes (next to the sockets' `sweep` lane). */
const FORWARD_LANE = 'forward';

interface Tracked {
  summary: SessionSummary;
  updatedAt: number;
}

export class LiveBoard extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly sessions = new Map<string, Tracked>();
  private readonly toForward = new Map<string, SessionSummary>();
  private readonly dirty = new Set<string>();
  private readonly alarms: AlarmScheduler;
  private readonly sockets: SocketGuard;
  /** Changes waiting for the broadcast window's end (at most one broadcast per window). */
  private readonly outgoing: BatchWindow<SessionSummary>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS sessions (parent_qr TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at INTEGER NOT NULL)`);
    for (const row of this.sql.exec<{ body: string; updated_at: number }>('SELECT body, updated_at FROM sessions')) {
      const summary = JSON.parse(row.body) as SessionSummary;
      this.sessions.set(summary.parentQr, { summary, updatedAt: row.updated_at });
    }
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    this.alarms = new AlarmScheduler(ctx.storage);
    // Watching counts as activity (boards are screens on a wall): only expiry and revocation end a watcher.
    this.sockets = new SocketGuard(ctx, env, this.alarms, { idle: false });
    this.outgoing = new BatchWindow<SessionSummary>({
      windowMs: settings(env).BOARD_BROADCAST_MS,
      flush: (changed) => this.broadcast(changed.length === 1 ? { type: 'session', ...changed[0]! } : { type: 'sessions', sessions: changed }),
    });
    void ctx.blockConcurrencyWhile(async () => {
      await this.alarms.load();
      await this.sockets.resume();
    });
  }

  /** From a ParentSession, on an area board. */
  async update(summary: SessionSummary): Promise<void> {
    this.apply([summary]);
    this.toForward.set(summary.parentQr, summary);
    this.ensureAlarm();
  }

  /** From an area board, on the all-areas board. */
  async updateMany(summaries: SessionSummary[]): Promise<void> {
    this.apply(summaries);
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

  private apply(summaries: readonly SessionSummary[]): void {
    const now = Date.now();
    for (const summary of summaries) {
      this.sessions.set(summary.parentQr, { summary, updatedAt: now });
      // Persisted by the next alarm (within a second), not per event: an area's board takes every scan
      // of the area, and its snapshot only has to survive a restart approximately (parents push again
      // on their next change).
      this.dirty.add(summary.parentQr);
    }
    // Snapshots read `sessions` at once; the watchers' frames may wait up to one broadcast window.
    this.outgoing.add(summaries.map((s) => [s.parentQr, s] as const));
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

  /** To every watcher whose session is still on (checked without I/O; ended ones are closed). */
  private broadcast(message: BoardMessage): void {
    this.sockets.broadcast(JSON.stringify(message));
  }

  private ensureAlarm(): void {
    this.alarms.soon(FORWARD_INTERVAL_MS, FORWARD_LANE);
  }

  override async alarm(): Promise<void> {
    const due = this.alarms.fired();
    if (due(SWEEP_LANE)) await this.sockets.sweep().catch((err) => (console.error('board socket sweep failed', err), this.alarms.soon(1000, SWEEP_LANE)));
    if (due(FORWARD_LANE)) await this.forward();
  }

  private async forward(): Promise<void> {
    this.persistDirty();
    const batch = [...this.toForward.values()];
    this.toForward.clear();
    if (batch.length > 0) {
      try {
        await allBoard(this.env).updateMany(batch);
      } catch (err) {
        for (const s of batch) if (!this.toForward.has(s.parentQr)) this.toForward.set(s.parentQr, s);
        log.warn('forward to all-areas board failed', { object: 'LiveBoard', ...errorFields(err) });
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
    const user = upgradeIdentity(request);
    if (user instanceof Response) return user;
    return this.sockets.accept(user, () => JSON.stringify({ type: 'snapshot', sessions: this.visible(Date.now()) } satisfies BoardMessage));
  }

  override async webSocketMessage(ws: WebSocket): Promise<void> {
    if (!(await this.sockets.admit(ws))) return;
    // The board is read-only; any message asks for a fresh snapshot.
    ws.send(JSON.stringify({ type: 'snapshot', sessions: this.visible(Date.now()) } satisfies BoardMessage));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeQuietly(ws, code, reason);
  }
}
