// One Durable Object per parent bag (idFromName(parentQr)). It answers scans from memory, claims new
// children in the sharded QR registry, persists each accepted scan to its SQLite before the ack leaves,
// fans events out over hibernating WebSockets, pushes summaries to the area's live board and flushes
// to Postgres from an alarm. This file is the shell: the rules live in parent-logic.ts, bill membership in
// bill-membership.ts, loading from Postgres in rehydrate.ts, outgoing shapes in messages.ts.
import { DurableObject } from 'cloudflare:workers';
import { AppError, type ErrorBody } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { assertNever, clientMessageSchema, type ServerMessage } from '../../shared/protocol';
import type { ParentView, SessionUser } from '../../shared/types';
import { settings } from '../../config/settings';
import { AlarmScheduler } from '../alarm-scheduler';
import { CoalescingPush } from '../kit/coalescing-push';
import { answerLimits, ScanAnswers } from '../kit/scan-answers';
import { SocketGuard, SWEEP_LANE } from '../kit/socket-guard';
import { upgradeIdentity } from '../kit/socket-upgrade';
import { fail, ok, type RpcResult } from '../rpc';
import { billFor, boardFor, metricsSink, registryFor } from '../stubs';
import { closeQuietly, parseSocketMessage } from '../sockets';
import { BillMembership } from './bill-membership';
import { DELETE_LANE, ParentDeletion, type DeletedParentView } from './deletion';
import { emptyParentCap, tellLedgerFilled } from './empty-parent-cap';
import { ParentFlusher } from './flusher';
import { ackMessage, eventMessage, stateMessage, summary, undoReply } from './messages';
import { applyComplete, checkArea, checkAreaForRead, decideComplete, decideUndo, decideUnlink, neverOpened, newSessionState } from './parent-logic';
import { sessionFromStored, toParentView, type ParentEvent, type ParentReturn, type ParentState } from './parent-logic';
import { previewScans } from './preview';
import { ScanPath } from './scan-path';
import { loadStored, previewBase } from './rehydrate';
import { ParentStorage } from './storage';
import type { BillLink, CallMeta, PreviewAnswer, RemovalOutcome, ScanAnswer } from './types';
import { errorFields, log } from '../../observability/log';
import { countMetric, observeMetric, type MetricsSink } from '../../observability/metrics';

export type { BillLink, CallMeta, PreviewAnswer, RemovalOutcome, ScanAnswer, ScanOutcome } from './types';

const MAX_WS_MESSAGE = 4096;

export class ParentSession extends DurableObject<Env> {
  private readonly store: ParentStorage;
  private readonly alarms: AlarmScheduler;
  private readonly flusher: ParentFlusher;
  private readonly sockets: SocketGuard;
  private readonly answers: ScanAnswers;
  private readonly bills: BillMembership;
  private readonly deletion: ParentDeletion;
  private readonly boardPush: CoalescingPush;
  private readonly billPush: CoalescingPush;
  private state: ParentState | null = null;
  private opening: Promise<RpcResult<ParentState>> | null = null;
  private readonly scans: ScanPath;
  /** Where metrics go: the isolate's buffer, flushed in the background (never awaited before an ack). */
  private readonly sink: MetricsSink;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const background = (p: Promise<unknown>) => ctx.waitUntil(p);
    this.sink = metricsSink(env, background);
    this.store = new ParentStorage(ctx.storage.sql);
    this.alarms = new AlarmScheduler(ctx.storage);
    this.flusher = new ParentFlusher(this.alarms, env, this.store, () => this.state);
    this.sockets = new SocketGuard(ctx, env, this.alarms, { idle: true });
    this.answers = new ScanAnswers(ctx.storage.sql, () => answerLimits(settings(env)));
    this.scans = new ScanPath({
      env,
      sink: this.sink,
      store: this.store,
      flusher: this.flusher,
      answers: this.answers,
      state: () => this.state,
      afterChange: (events) => this.afterChange(events),
      pushBoard: () => this.pushBoard(),
      firstChild: (state) => tellLedgerFilled(env, state, background),
    });
    const retrySoon = () => this.alarms.soon(1000, DELETE_LANE);
    this.deletion = new ParentDeletion({ env, ctx, store: this.store, answers: this.answers, state: () => this.state, forget: () => (this.state = null), retrySoon });
    this.bills = new BillMembership({
      env,
      state: () => this.state,
      adopt: (state) => this.adopt(state),
      changed: (state) => {
        this.store.saveMeta(state);
        this.broadcast({ type: 'state', parent: toParentView(state) });
      },
    });
    // Summaries for the area's board and the parent's open bill: never delay the ack, at most one in flight,
    // later changes coalesce. The bill's GET reads counts from its parents itself: a lost push costs liveness.
    // The board's push also starts at most once per BOARD_PUSH_INTERVAL_MS (issue 15 point 4; leading edge at
    // once, so a parent scanned once a second pushes as before); the bill's is not capped: only parents on an
    // open bill push to it, far below any object's limit, and its watchers see each count.
    const warn = (msg: string) => (err: unknown) => log.warn(msg, { object: 'ParentSession', parentQr: this.state?.qr, billNo: this.state?.billNo, ...errorFields(err) });
    this.boardPush = new CoalescingPush({
      background,
      send: async () => void (this.state && (await boardFor(env, this.state.areaId).update(summary(this.state)))),
      failed: warn('live board push failed'),
      minIntervalMs: settings(env).BOARD_PUSH_INTERVAL_MS,
    });
    this.billPush = new CoalescingPush({
      background,
      send: async () => {
        const state = this.state;
        if (state?.billNo) await billFor(env, state.billNo).parentCounted(state.qr, state.children.size, state.status);
      },
      failed: warn('bill push failed'),
    });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    // Not awaited (a constructor cannot be async): the runtime holds every request until this settles.
    void ctx.blockConcurrencyWhile(async () => {
      this.state = this.store.loadState();
      this.answers.load();
      await this.alarms.load();
      this.flusher.resume();
      await this.sockets.resume();
      // A deletion this object was in the middle of when it stopped: finish it from the alarm.
      if (this.deletion.pending) this.alarms.soon(0, DELETE_LANE);
    });
  }

  // ---------------------------------------------------------------- RPC: reads and opening

  async open(user: SessionUser, qr: string, requestedAreaId?: number, meta?: CallMeta): Promise<RpcResult<ParentView>> {
    const started = performance.now();
    if (this.deletion.pending) return fail(this.deletion.refusal(qr));
    if (!this.state) {
      this.opening ??= this.initialize(user, qr, requestedAreaId, meta).finally(() => (this.opening = null));
      const created = await this.opening;
      if (!created.ok) return created;
    }
    const view = this.view(user);
    observeMetric(this.sink, 'tracetrack_parent_open_seconds', undefined, performance.now() - started);
    return view;
  }

  /**
   * The parent as its object holds it. An object whose storage is empty (Durable Object state lost or
   * bypassed, as in `npm run dr:drill`) re-derives it from Postgres when the registry knows the parent, so
   * a read answers as before the loss instead of "never opened" (found by the restore drill).
   */
  async get(user: SessionUser, qr?: string): Promise<RpcResult<ParentView>> {
    if (!this.state && qr) {
      const loaded = await this.bills.load(qr);
      if (!loaded.ok && loaded.error.code !== 'PARENT_NOT_FOUND') return loaded;
    }
    return this.view(user, true);
  }

  /** A spreadsheet import's dry run (preview.ts): nothing is claimed, stored or written. */
  async previewScans(user: SessionUser, qr: string, rawQrs: string[], requestedAreaId?: number): Promise<RpcResult<PreviewAnswer[]>> {
    if (this.deletion.pending) return fail(this.deletion.refusal(qr));
    const base = this.state ? ok(this.state) : await previewBase(this.env, user, qr, requestedAreaId);
    if (!base.ok) return base;
    const start = this.state ?? base.value;
    const denied = checkArea(start, user);
    return denied ? fail(denied) : ok(await previewScans(this.env, start, user, rawQrs));
  }

  // ---------------------------------------------------------------- RPC: bills and returns (bill-membership.ts)

  async previewBill(qr: string, billNo: string): Promise<RpcResult<BillLink>> { return this.deletion.blocked(qr) ?? this.bills.preview(qr, billNo); }
  async claimBill(qr: string, billNo: string, version: number): Promise<RpcResult<BillLink>> { return this.deletion.blocked(qr) ?? this.bills.claim(qr, billNo, version); }
  async releaseBill(qr: string, billNo: string, version: number): Promise<RpcResult<BillLink | null>> { return this.bills.release(qr, billNo, version); }
  async syncBill(qr: string, billNo: string, finalized: boolean, version: number): Promise<RpcResult<BillLink | null>> { return this.bills.sync(qr, billNo, finalized, version); }
  async returnToTicket(qr: string, ticketCode: string): Promise<RpcResult<ParentReturn & { qr: string; areaId: number }>> { return this.deletion.blocked(qr) ?? this.bills.returnTo(qr, ticketCode); }
  async returnInfo(): Promise<(ParentReturn & { areaId: number }) | null> { return this.bills.returnInfo(); }
  async billInfo(): Promise<BillLink | null> { return this.bills.info(); }

  /** Takes over a state (new, or re-derived from Postgres): stored, and a snapshot queued for the flush. */
  private adopt(state: ParentState): void {
    this.state = state;
    this.store.adopt(state);
    this.flusher.schedule();
  }

  /** `read`: another area's parent reads as never opened (see checkAreaForRead). */
  private view(user: SessionUser, read = false): RpcResult<ParentView> {
    const state = this.state;
    if (!state) return fail(neverOpened());
    const denied = read ? checkAreaForRead(state, user) : checkArea(state, user);
    return denied ? fail(denied) : ok(toParentView(state));
  }

  private async initialize(user: SessionUser, qr: string, requestedAreaId?: number, meta?: CallMeta): Promise<RpcResult<ParentState>> {
    const areaId = user.areaId ?? requestedAreaId;
    if (areaId === undefined || areaId === null) {
      return fail(new AppError('INVALID_INPUT', 'areaId is required to open a new parent for a user without a dispatch area.'));
    }
    const capped = await emptyParentCap(this.env, user, qr);
    if (capped) return fail(capped);
    const registered = await registryFor(this.env, qr).registerParent(qr);
    if ('error' in registered) return fail(registered.error as ErrorBody);
    // The registry knows this parent but this object has no state: its history is in Postgres.
    const stored = registered.known ? await loadStored(this.env, qr, { requestId: meta?.requestId, history: true }) : ok(null);
    if (!stored.ok) return stored;
    if (this.state) return ok(this.state); // another caller finished first while we awaited
    const capacity = settings(this.env).PARENT_CAPACITY;
    const state = stored.value ? sessionFromStored(stored.value, areaId, capacity) : newSessionState(qr, areaId, capacity, user, Date.now());
    this.adopt(state);
    this.pushBoard();
    return ok(state);
  }

  // ---------------------------------------------------------------- RPC: commands

  async scan(user: SessionUser, rawQr: string, scanId?: string, meta?: CallMeta): Promise<ScanAnswer> {
    const started = performance.now();
    const answer = await this.scanCommand(user, rawQr, scanId, meta?.requestId ?? null);
    // HTTP scans are timed here; WebSocket scans from message in to ack out (webSocketMessage).
    if (meta) observeMetric(this.sink, 'tracetrack_scan_ack_seconds', { via: 'http' }, performance.now() - started);
    return answer;
  }

  private async scanCommand(user: SessionUser, rawQr: string, scanId: string | undefined, requestId: string | null): Promise<ScanAnswer> {
    const state = this.state;
    if (!state) return { ...fail(new AppError('NOT_FOUND', 'Parent was never opened: open it first.')), childQr: rawQr };
    const denied = checkArea(state, user);
    if (denied) return { ...fail(denied), childQr: rawQr };
    if (this.deletion.pending) return { ...fail(this.deletion.refusal(state.qr)), childQr: rawQr };
    const id = scanId ?? newId('scan');
    return this.answers.once(id, () => this.scans.scanOnce(state, user, rawQr, id, requestId)) as Promise<ScanAnswer>;
  }

  async undo(user: SessionUser, scanId?: string, meta?: CallMeta): Promise<RpcResult<RemovalOutcome>> {
    const state = this.commandState(user);
    if (!state.ok) return state;
    const id = scanId ?? newId('undo');
    return this.answers.once(id, async () => {
      const child = decideUndo(state.value, user, Date.now(), settings(this.env).UNDO_WINDOW_SECONDS * 1000);
      if (child instanceof AppError) return this.answers.remember(id, fail(child));
      return this.scans.remove(state.value, child, user, 'undo', id, meta?.requestId ?? null);
    }) as Promise<RpcResult<RemovalOutcome>>;
  }

  async unlink(user: SessionUser, childQr: string, meta?: CallMeta): Promise<RpcResult<RemovalOutcome>> {
    const state = this.commandState(user);
    if (!state.ok) return state;
    const child = decideUnlink(state.value, childQr);
    if (child instanceof AppError) return fail(child);
    return this.scans.remove(state.value, child, user, 'unlink', newId('unlink'), meta?.requestId ?? null);
  }

  async complete(user: SessionUser): Promise<RpcResult<ParentView>> {
    const loaded = this.commandState(user);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const denied = decideComplete(state, user);
    if (denied) return fail(denied);
    const events = applyComplete(state, user, Date.now());
    if (events.length) {
      this.store.saveMeta(state);
      this.store.enqueueSnapshot();
      this.afterChange(events);
    }
    return ok(toParentView(state));
  }

  /** The state for a command by `user`: NOT_FOUND before the parent was opened, AREA_FORBIDDEN elsewhere. */
  private commandState(user: SessionUser): RpcResult<ParentState> {
    const state = this.state;
    if (!state) return fail(new AppError('NOT_FOUND', 'Parent was never opened.'));
    const denied = checkArea(state, user);
    if (denied) return fail(denied);
    return this.deletion.blocked(state.qr) ?? ok(state);
  }

  // ---------------------------------------------------------------- RPC: deleting an empty parent (deletion.ts)

  /** Admins delete a parent that nothing depends on (deletion.ts). */
  async deleteEmpty(user: SessionUser, qr: string, meta?: CallMeta): Promise<RpcResult<DeletedParentView>> {
    return this.deletion.deleteEmpty(user, qr, { requestId: meta?.requestId ?? null });
  }

  /** For another parent repairing a stale claim: does this parent hold (or is it claiming) the child? */
  async holdsChild(childQr: string): Promise<boolean> {
    return this.scans.holds(childQr);
  }

  private afterChange(events: ParentEvent[]): void {
    this.flusher.schedule();
    if (events.length === 0) return;
    const state = this.state as ParentState;
    for (const event of events) this.broadcast(eventMessage(state, event));
    this.pushBoard();
    if (state.billNo && !state.billFinalized) this.billPush.request();
  }

  /** To every socket whose session is still on (checked without I/O; ended ones are closed). */
  private broadcast(message: ServerMessage): void {
    this.sockets.broadcast(JSON.stringify(message));
  }

  private pushBoard(): void {
    if (this.state) this.boardPush.request();
  }

  // ---------------------------------------------------------------- WebSocket

  override async fetch(request: Request): Promise<Response> {
    const user = upgradeIdentity(request);
    if (user instanceof Response) return user;
    const opened = this.view(user, true);
    if (!opened.ok) return Response.json({ error: opened.error }, { status: opened.error.code === 'NOT_FOUND' ? 404 : 403 });
    countMetric(this.sink, 'tracetrack_websocket_opened_total', { kind: 'parent' });
    return this.sockets.accept(user, () => stateMessage(this.state as ParentState));
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const received = Date.now();
    const receivedAt = performance.now();
    // Expired, idle or signed-out sessions lose the socket, a socket over its rate is answered with an
    // error; a message is activity and slides the idle deadline.
    const user = await this.sockets.admit(ws, received);
    if (!user) return;
    const parsed = parseSocketMessage(message, clientMessageSchema, MAX_WS_MESSAGE);
    if (!parsed.ok) return ws.send(JSON.stringify({ type: 'error', error: parsed.error } satisfies ServerMessage));
    const msg = parsed.value;
    switch (msg.type) {
      case 'scan': {
        const answer = await this.scan(user, msg.qr, msg.scanId);
        ws.send(JSON.stringify(ackMessage(msg.scanId, answer, this.state, Date.now() - received)));
        observeMetric(this.sink, 'tracetrack_scan_ack_seconds', { via: 'ws' }, performance.now() - receivedAt);
        return;
      }
      case 'undo':
        return ws.send(JSON.stringify(undoReply(msg.scanId, await this.undo(user, msg.scanId), this.state) satisfies ServerMessage));
      case 'resync': {
        const view = this.view(user);
        if (view.ok) ws.send(JSON.stringify({ type: 'state', parent: view.value } satisfies ServerMessage));
        return;
      }
      default:
        assertNever(msg);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    countMetric(this.sink, 'tracetrack_websocket_closed_total', { kind: 'parent' });
    closeQuietly(ws, code, reason);
  }

  override async webSocketError(): Promise<void> {
    // Nothing to clean up: sockets carry their identity in attachments, not in object maps.
  }

  /** The one alarm: the flush (`work` lane) and, while sockets are open, the session sweep. */
  override async alarm(): Promise<void> {
    const due = this.alarms.fired();
    // A duty that throws asks for its lane again rather than failing the alarm (which would retry both).
    if (due('work')) await this.flusher.run().catch((err) => (console.error('flush alarm failed', err), this.flusher.schedule(1000)));
    if (due(DELETE_LANE)) await this.deletion.resume().catch((err) => (console.error('parent delete resume failed', err), this.alarms.soon(5000, DELETE_LANE)));
    if (due(SWEEP_LANE)) await this.sockets.sweep().catch((err) => (console.error('socket sweep failed', err), this.alarms.soon(1000, SWEEP_LANE)));
  }
}
