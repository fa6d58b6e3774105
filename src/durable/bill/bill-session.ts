// One Durable Object per bill (idFromName(normalized bill number)), the authority on the bill: whether the
// number exists (create decides exactly once), which parents are on it (capacity decided here), finalized or
// not. Which bill a parent is on is decided by the parent's own ParentSession (claimBill), so two bills
// taking the same parent at once cannot both win. Every change is in this object's SQLite before the answer
// leaves, queued in an outbox and flushed to Postgres from an alarm (flusher.ts). This file is the shell:
// rules in bill-logic.ts, adding parents in add-parent.ts, parent calls in parent-calls.ts, shapes in messages.ts.
import { DurableObject } from 'cloudflare:workers';
import type { NewBill, WeighBillBody } from '../../shared/bill';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { assertNever, billClientMessageSchema, type BillServerMessage } from '../../shared/protocol';
import type { BillView, ParentStatus } from '../../shared/types';
import type { BillEventKind } from '../../db/bill-flush';
import { settings } from '../../config/settings';
import { AlarmScheduler } from '../alarm-scheduler';
import { answerLimits, ScanAnswers } from '../kit/scan-answers';
import { SocketGuard, SWEEP_LANE } from '../kit/socket-guard';
import { upgradeIdentity } from '../kit/socket-upgrade';
import type { PreviewAnswer } from '../parent/types';
import { fail, ok, type RpcResult } from '../rpc';
import { closeQuietly, parseSocketMessage } from '../sockets';
import { applyFinalize, applyParentFacts, applyRemove, applyReopen, applyReturned, applyWeigh, decideFinalize, decideRemove, decideReopen } from './bill-logic';
import { newBillState, toBillView, type BillEvent, type BillReturn, type BillState } from './bill-logic';
import { AddPath } from './add-parent';
import { BillFlusher } from './flusher';
import { auditState, eventMessage, flushEvent, parentMessage, weightAudit, type AddOutcome, type BillActor } from './messages';
import { ParentCalls } from './parent-calls';
import { billFromPostgres } from './rehydrate';
import { BillStorage } from './storage';

export type { AddOutcome, BillActor } from './messages';

const PARENT_CALL_RETRY_MS = 1000;
const MAX_WS_MESSAGE = 1024;

export class BillSession extends DurableObject<Env> {
  private readonly store: BillStorage;
  private readonly alarms: AlarmScheduler;
  private readonly flusher: BillFlusher;
  private readonly sockets: SocketGuard;
  private readonly answers: ScanAnswers;
  private readonly calls: ParentCalls;
  private readonly adds: AddPath;
  private state: BillState | null = null;
  private loading: Promise<RpcResult<BillState>> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new BillStorage(ctx.storage.sql);
    this.alarms = new AlarmScheduler(ctx.storage);
    this.flusher = new BillFlusher(env, this.store);
    this.sockets = new SocketGuard(ctx, env, this.alarms, { idle: false });
    this.answers = new ScanAnswers(ctx.storage.sql, () => answerLimits(settings(env)));
    const retrySoon = () => this.alarms.soon(PARENT_CALL_RETRY_MS);
    this.calls = new ParentCalls({ env, store: this.store, state: () => this.state, retrySoon });
    const [enqueue, afterChange] = [this.enqueue.bind(this), this.afterChange.bind(this)];
    this.adds = new AddPath({ env, ctx, store: this.store, answers: this.answers, calls: this.calls, retrySoon, enqueue, afterChange });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    // Not awaited (a constructor cannot be async): the runtime holds every request until this settles.
    void ctx.blockConcurrencyWhile(async () => {
      this.state = this.store.loadState();
      this.answers.load();
      this.recoverClaimsInFlight();
      await this.alarms.load();
      if (!this.alarms.pending && (this.store.outboxSize() > 0 || this.store.parentCalls().length > 0)) this.alarms.soon(0);
      await this.sockets.resume();
    });
  }

  /** A claim whose outcome was never recorded (the object died in between) becomes a release (storage.ts). */
  private recoverClaimsInFlight(): void {
    this.store.recoverClaimsInFlight(this.state);
  }

  // ---------------------------------------------------------------- RPC

  /** Creates the bill: the first caller for a number wins, any later one gets CONFLICT. */
  async create(input: NewBill, actor: BillActor): Promise<RpcResult<BillView>> {
    if (!this.state) {
      // An object without state may still have a bill in Postgres (imported, or storage lost): check first,
      // so Postgres' unique bill number and this object agree. Creating needs Postgres reachable for that.
      const loaded = await this.ensureLoaded(input.billNo);
      if (!loaded.ok && loaded.error.code !== 'NOT_FOUND') return fail(loaded.error);
    }
    if (this.state) return fail(new AppError('CONFLICT', `Bill ${input.billNo} already exists.`, { billNo: input.billNo }));
    const now = Date.now();
    const state = newBillState(input, actor.user, now);
    this.state = state;
    this.store.saveMeta(state);
    const view = toBillView(state);
    this.enqueue('create', actor, null, null, { ...input, status: view.status }, now);
    this.afterChange({ type: 'created', at: now, byId: actor.user.id, byName: actor.user.username });
    return ok(view);
  }

  /** The bill with live totals: open bills read each parent's current child count. */
  async get(billNo: string): Promise<RpcResult<BillView>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    return ok(toBillView(loaded.value, await this.liveCounts(loaded.value)));
  }

  async addParent(billNo: string, rawQr: string, actor: BillActor, scanId?: string): Promise<RpcResult<AddOutcome>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const id = scanId ?? newId('bill-add');
    return this.answers.once(id, () => this.adds.addOnce(loaded.value, rawQr, actor, id));
  }

  /** A spreadsheet import's dry run (add-parent.ts): nothing is claimed or stored. */
  async previewAdds(billNo: string, rawQrs: string[]): Promise<RpcResult<PreviewAnswer[]>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    return ok(await this.adds.preview(loaded.value, rawQrs));
  }

  async removeParent(billNo: string, rawQr: string, actor: BillActor): Promise<RpcResult<BillView>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const parent = decideRemove(state, rawQr);
    if (parent instanceof AppError) return fail(parent);
    const now = Date.now();
    const before = auditState(state);
    const event = applyRemove(state, parent, actor.user, now);
    this.store.deleteParent(parent.qr);
    this.store.saveMeta(state);
    // The bill's own record changes first (durably); the parent is freed after, retried until it lands.
    this.store.addParentCall({ qr: parent.qr, kind: 'release', version: state.version });
    this.enqueue('remove', actor, parent.qr, null, { before, after: auditState(state) }, now);
    this.afterChange(event);
    await this.calls.run([parent.qr]);
    return ok(toBillView(state));
  }

  async finalize(billNo: string, actor: BillActor): Promise<RpcResult<BillView>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const decision = decideFinalize(state);
    if (decision === 'noop') return ok(toBillView(state));
    if (decision) return fail(decision);
    // Closed here first (no add can slip in any more), then each parent is frozen. Each frozen parent
    // answers its child count at that moment, which becomes the bill's final count for it.
    await this.toEveryParent(state, actor, 'finalize', (now) => applyFinalize(state, actor.user, new Map(), now));
    return ok(toBillView(state));
  }

  async reopen(billNo: string, actor: BillActor): Promise<RpcResult<BillView>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const denied = decideReopen(state);
    if (denied) return fail(denied);
    await this.toEveryParent(state, actor, 'reopen', (now) => applyReopen(state, actor.user, now));
    return ok(toBillView(state, await this.calls.refreshCounts(state)));
  }

  /** Finalize or reopen: stored here first, then every parent frozen or thawed (retried until it lands). */
  private async toEveryParent(state: BillState, actor: BillActor, kind: 'finalize' | 'reopen', apply: (now: number) => BillEvent): Promise<void> {
    const now = Date.now();
    const before = auditState(state);
    const event = apply(now);
    this.store.saveMeta(state);
    for (const qr of state.parents.keys()) this.store.addParentCall({ qr, kind: kind === 'finalize' ? 'freeze' : 'thaw', version: state.version });
    this.enqueue(kind, actor, null, null, { before, after: auditState(state) }, now);
    this.afterChange(event);
    await this.calls.run([...state.parents.keys()]);
  }

  /**
   * Records the load's measured weight (null clears it): typed in from the weighbridge's display, or set by a
   * weighbridge device through the API. Audited and flushed like every bill change; a repeat changes nothing.
   */
  async setWeight(billNo: string, input: WeighBillBody, actor: BillActor): Promise<RpcResult<BillView>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const now = Date.now();
    const before = weightAudit(state);
    const event = applyWeigh(state, input.actualWeightKg === null ? null : { kg: input.actualWeightKg, source: input.weightSource }, actor.user, now);
    if (event) {
      this.store.saveMeta(state);
      this.enqueue('weigh', actor, null, null, { before, after: weightAudit(state) }, now);
      this.afterChange(event);
    }
    return ok(toBillView(state, await this.liveCounts(state)));
  }

  /**
   * A return ticket took `line.qr` off this bill (issue 13; the parent decided it and is free already). The
   * bill drops the parent (finalized bills too) and keeps a returned line; the ticket retries this call
   * until it lands, and a repeat of one return changes nothing.
   */
  async parentReturned(billNo: string, line: BillReturn, actor: BillActor): Promise<RpcResult<BillView>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const before = auditState(state);
    const event = applyReturned(state, line);
    if (event) {
      this.store.deleteParent(line.qr);
      this.store.saveReturned(line);
      this.store.saveMeta(state);
      this.enqueue('return', actor, line.qr, line.at, { before, after: { ...auditState(state), ticketCode: line.ticketCode, childCount: line.childCount } }, line.at);
      this.afterChange(event);
    }
    return ok(toBillView(state));
  }

  /** A parent on this open bill reports its child count (and state) after a scan (ParentSession.pushBill). */
  async parentCounted(qr: string, childCount: number, status?: ParentStatus): Promise<void> {
    const state = this.state;
    if (!state || state.finalized) return; // finalized bills keep the counts frozen at finalization
    const parent = state.parents.get(qr);
    if (!parent || !applyParentFacts(parent, { childCount, status })) return;
    this.store.saveParent(parent);
    this.sockets.broadcast(JSON.stringify(parentMessage(state, qr, childCount)));
  }

  /**
   * The bill, loading it from Postgres when this object has no state (a bill imported or created before
   * its object lost storage). NOT_FOUND when Postgres has no such bill either; UNAVAILABLE when Postgres
   * cannot be asked (we cannot tell "no such bill" from "not loaded yet").
   */
  private async ensureLoaded(billNo: string): Promise<RpcResult<BillState>> {
    if (this.state) return ok(this.state);
    this.loading ??= billFromPostgres(this.env, billNo)
      .then((loaded) => {
        if (this.state) return ok(this.state); // created while we awaited
        if (loaded.ok) this.store.adopt((this.state = loaded.value));
        return loaded;
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** Whether a count is stale: open bills read their parents' live counts; finalized ones keep the frozen ones. */
  private async liveCounts(state: BillState): Promise<boolean> {
    return state.finalized ? false : this.calls.refreshCounts(state);
  }

  private enqueue(kind: BillEventKind, actor: BillActor, parentQr: string | null, addedAt: number | null, audit: unknown, now: number): void {
    this.store.enqueue(flushEvent(this.state as BillState, kind, actor.audit, parentQr, addedAt, audit, now));
  }

  /** The one alarm: parent calls and the flush (`work` lane) and, while sockets are open, the session sweep. */
  override async alarm(): Promise<void> {
    const due = this.alarms.fired();
    if (due(SWEEP_LANE)) await this.sockets.sweep().catch((err) => (console.error('socket sweep failed', err), this.alarms.soon(1000, SWEEP_LANE)));
    if (due('work')) await this.work();
  }

  private async work(): Promise<void> {
    await this.calls.run();
    const flushed = this.state ? await this.flusher.run(this.state) : true;
    if (flushed) this.alarms.recovered();
    if (this.alarms.pending) return;
    if (!flushed) this.alarms.backoff(this.flusher.failures);
    else if (this.store.parentCalls().length > 0) this.alarms.soon(PARENT_CALL_RETRY_MS);
  }

  private afterChange(event: BillEvent): void {
    this.alarms.soon(this.flusher.delayMs());
    const message = eventMessage(this.state as BillState, event);
    if (message) this.sockets.broadcast(JSON.stringify(message satisfies BillServerMessage));
  }

  // ---------------------------------------------------------------- WebSocket (watching a bill)

  override async fetch(request: Request): Promise<Response> {
    const user = upgradeIdentity(request);
    if (user instanceof Response) return user;
    const view = await this.get(request.headers.get('X-TT-Bill') ?? '');
    if (!view.ok) return Response.json({ error: view.error }, { status: view.error.code === 'NOT_FOUND' ? 404 : 503 });
    return this.sockets.accept(user, () => JSON.stringify({ type: 'state', bill: view.value } satisfies BillServerMessage));
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (!(await this.sockets.admit(ws))) return;
    const msg = parseSocketMessage(message, billClientMessageSchema, MAX_WS_MESSAGE);
    if (!msg.ok) return ws.send(JSON.stringify({ type: 'error', error: msg.error } satisfies BillServerMessage));
    switch (msg.value.type) {
      case 'resync':
        if (this.state) ws.send(JSON.stringify({ type: 'state', bill: toBillView(this.state, await this.liveCounts(this.state)) } satisfies BillServerMessage));
        return;
      default:
        assertNever(msg.value.type);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeQuietly(ws, code, reason);
  }

  /** Nothing to clean up: sockets carry their identity in attachments. */
  override async webSocketError(): Promise<void> {}
}

