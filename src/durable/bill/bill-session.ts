// One Durable Object per bill (idFromName(normalized bill number)). It is the authority on the bill:
// whether the number exists (create decides exactly once), which parents are on it (capacity decided
// inside the object), finalized or not. Which bill a parent is on is decided by the parent's own
// ParentSession (claimBill), so two bills taking the same parent at once cannot both win.
// Every change is persisted to this object's SQLite before the answer leaves (output gate), queued in
// an outbox and written to Postgres from an alarm, with backoff while Postgres is down (flusher.ts).
// The rules live in bill-logic.ts; this file is the shell.
import { DurableObject } from 'cloudflare:workers';
import type { NewBill, WeighBillBody } from '../../shared/bill';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { assertNever, billClientMessageSchema, type BillEventMessage, type BillServerMessage } from '../../shared/protocol';
import type { BillView, ParentStatus, SessionUser } from '../../shared/types';
import type { AuditMeta } from '../../db/audit';
import type { BillEventKind, BillFlushEvent } from '../../db/bill-flush';
import { loadBill, type StoredBill } from '../../db/bills';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { AlarmScheduler } from '../alarm-scheduler';
import { answerLimits, ScanAnswers } from '../kit/scan-answers';
import { SocketGuard, SWEEP_LANE } from '../kit/socket-guard';
import type { BillLink, PreviewAnswer } from '../parent/parent-session';
import { socketUserSchema } from '../parent/socket-user';
import { fail, ok, type RpcResult } from '../rpc';
import { parentFor } from '../stubs';
import { closeQuietly, parseSocketMessage } from '../sockets';
import {
  applyAdd,
  applyFinalize,
  applyParentFacts,
  applyRemove,
  applyReopen,
  applyReturned,
  applyWeigh,
  billStatus,
  billTotals,
  decideAdd,
  decideFinalize,
  decideRemove,
  decideReopen,
  newBillState,
  returnedSince,
  toBillView,
  type BillEvent,
  type BillParent,
  type BillReturn,
  type BillState,
  type ParentFacts,
} from './bill-logic';
import { BillFlusher } from './flusher';
import { BillStorage, type ParentCall } from './storage';
import { errorFields, log } from '../../observability/log';

/** Who asks, with the request facts every audit row carries (taken by the Worker). */
export interface BillActor {
  user: SessionUser;
  audit: AuditMeta;
}

export interface AddOutcome {
  result: 'added' | 'duplicate';
  parentQr: string;
  parentCount: number;
  childCount: number;
  capacity: number;
  status: BillView['status'];
  /** Extension (issue 9): the scanned parent's own count and state, so a parent that is not complete stands out. */
  parent?: { qr: string; childCount: number; capacity?: number; status?: ParentStatus };
}

/** A parent's answer as the facts the bill keeps about it. */
function factsOf(link: BillLink): ParentFacts {
  return { childCount: link.childCount, status: link.status, capacity: link.capacity, areaId: link.areaId };
}

const PARENT_CALL_RETRY_MS = 1000;
const MAX_WS_MESSAGE = 1024;

export class BillSession extends DurableObject<Env> {
  private readonly store: BillStorage;
  private readonly alarms: AlarmScheduler;
  private readonly flusher: BillFlusher;
  private readonly sockets: SocketGuard;
  private readonly answers: ScanAnswers;
  private state: BillState | null = null;
  private loading: Promise<RpcResult<BillState>> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new BillStorage(ctx.storage.sql);
    this.alarms = new AlarmScheduler(ctx.storage);
    this.flusher = new BillFlusher(env, this.store);
    this.sockets = new SocketGuard(ctx, env, this.alarms, { idle: false });
    this.answers = new ScanAnswers(ctx.storage.sql, () => answerLimits(settings(env)));
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    // Not awaited (a constructor cannot be async): the runtime holds every request until this settles.
    void ctx.blockConcurrencyWhile(async () => {
      this.state = this.store.loadState();
      this.answers.load();
      this.recoverClaimsInFlight();
      await this.alarms.load();
      if (!this.alarms.pending && this.hasWork()) this.alarms.soon(0);
      await this.sockets.resume();
    });
  }

  /**
   * A claim whose outcome was never recorded: the object died between asking the parent and storing the
   * answer. The parent may or may not be on this bill now; a release (older than any later claim, so it
   * cannot undo one) makes sure it is not left claimed by a bill that does not list it.
   */
  private recoverClaimsInFlight(): void {
    for (const { qr, version } of this.store.claimsInFlight()) {
      if (!this.state?.parents.has(qr)) this.store.addParentCall({ qr, kind: 'release', version });
      this.store.clearClaimInFlight(qr);
    }
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
    const state = loaded.value;
    const stale = state.finalized ? false : await this.refreshCounts(state);
    return ok(toBillView(state, stale));
  }

  async addParent(billNo: string, rawQr: string, actor: BillActor, scanId?: string): Promise<RpcResult<AddOutcome>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const id = scanId ?? newId('bill-add');
    return this.answers.once(id, () => this.addOnce(loaded.value, rawQr, actor, id));
  }

  /**
   * What adding these parents would answer, one by one, without changing anything (a spreadsheet import's
   * dry run): decideAdd on a copy of the bill (capacity counted across the list), and each parent that
   * would be claimed is asked, read-only, whether it is free (previewBill).
   */
  async previewAdds(billNo: string, rawQrs: string[]): Promise<RpcResult<PreviewAnswer[]>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const sim: BillState = { ...loaded.value, parents: new Map(loaded.value.parents) };
    const answers: PreviewAnswer[] = [];
    for (const raw of rawQrs) {
      const decision = decideAdd(sim, raw);
      if (decision.kind === 'duplicate') answers.push({ outcome: 'already' });
      else if (decision.kind === 'reject') answers.push({ outcome: 'conflict', code: decision.error.code, message: decision.error.message });
      else {
        const link = (await this.parent(decision.qr).previewBill(decision.qr, sim.billNo)) as RpcResult<BillLink>;
        if (!link.ok) answers.push({ outcome: 'conflict', code: link.error.code, message: link.error.message });
        else {
          sim.parents.set(decision.qr, { qr: decision.qr, addedAt: Date.now(), byId: 0, byName: '', childCount: link.value.childCount });
          answers.push({ outcome: 'would_add' });
        }
      }
    }
    return ok(answers);
  }

  async removeParent(billNo: string, rawQr: string, actor: BillActor): Promise<RpcResult<BillView>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const parent = decideRemove(state, rawQr);
    if (parent instanceof AppError) return fail(parent);
    const now = Date.now();
    const before = this.auditState(state);
    const event = applyRemove(state, parent, actor.user, now);
    this.store.deleteParent(parent.qr);
    this.store.saveMeta(state);
    // The bill's own record changes first (durably); the parent is freed after, retried until it lands.
    this.store.addParentCall({ qr: parent.qr, kind: 'release', version: state.version });
    this.enqueue('remove', actor, parent.qr, null, { before, after: this.auditState(state) }, now);
    this.afterChange(event);
    await this.runParentCalls([parent.qr]);
    return ok(toBillView(state));
  }

  async finalize(billNo: string, actor: BillActor): Promise<RpcResult<BillView>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const decision = decideFinalize(state);
    if (decision === 'noop') return ok(toBillView(state));
    if (decision) return fail(decision);
    const now = Date.now();
    const before = this.auditState(state);
    // Closed here first (no add can slip in any more), then each parent is frozen. Each frozen parent
    // answers its child count at that moment, which becomes the bill's final count for it.
    const event = applyFinalize(state, actor.user, new Map(), now);
    this.store.saveMeta(state);
    for (const qr of state.parents.keys()) this.store.addParentCall({ qr, kind: 'freeze', version: state.version });
    this.enqueue('finalize', actor, null, null, { before, after: this.auditState(state) }, now);
    this.afterChange(event);
    await this.runParentCalls([...state.parents.keys()]);
    return ok(toBillView(state));
  }

  async reopen(billNo: string, actor: BillActor): Promise<RpcResult<BillView>> {
    const loaded = await this.ensureLoaded(billNo);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const denied = decideReopen(state);
    if (denied) return fail(denied);
    const now = Date.now();
    const before = this.auditState(state);
    const event = applyReopen(state, actor.user, now);
    this.store.saveMeta(state);
    for (const qr of state.parents.keys()) this.store.addParentCall({ qr, kind: 'thaw', version: state.version });
    this.enqueue('reopen', actor, null, null, { before, after: this.auditState(state) }, now);
    this.afterChange(event);
    await this.runParentCalls([...state.parents.keys()]);
    return ok(toBillView(state, await this.refreshCounts(state)));
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
    const before = this.weightAudit(state);
    const event = applyWeigh(state, input.actualWeightKg === null ? null : { kg: input.actualWeightKg, source: input.weightSource }, actor.user, now);
    if (event) {
      this.store.saveMeta(state);
      this.enqueue('weigh', actor, null, null, { before, after: this.weightAudit(state) }, now);
      this.afterChange(event);
    }
    return ok(toBillView(state, state.finalized ? false : await this.refreshCounts(state)));
  }

  private weightAudit(state: BillState): Record<string, unknown> {
    const w = state.weight;
    return { actualWeightKg: w?.kg ?? null, weightSource: w?.source ?? null };
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
    const before = this.auditState(state);
    const event = applyReturned(state, line);
    if (event) {
      this.store.deleteParent(line.qr);
      this.store.saveReturned(line);
      this.store.saveMeta(state);
      this.enqueue('return', actor, line.qr, line.at, { before, after: { ...this.auditState(state), ticketCode: line.ticketCode, childCount: line.childCount } }, line.at);
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
    const totals = billTotals(state.parents.values());
    const message: BillServerMessage = {
      type: 'parent',
      billNo: state.billNo,
      parentQr: qr,
      parentChildCount: childCount,
      parentCount: totals.parentCount,
      childCount: totals.childCount,
      status: billStatus(state),
      finalized: state.finalized,
    };
    this.sockets.broadcast(JSON.stringify(message));
  }

  // ---------------------------------------------------------------- adding a parent

  private remember<T>(id: string, answer: RpcResult<T>): RpcResult<T> {
    return this.answers.remember(id, answer);
  }

  private async addOnce(state: BillState, rawQr: string, actor: BillActor, scanId: string): Promise<RpcResult<AddOutcome>> {
    let decision = decideAdd(state, rawQr);
    if (decision.kind === 'reject') return this.remember(scanId, fail(decision.error));
    if (decision.kind === 'duplicate') return this.remember(scanId, ok(this.addOutcome(state, 'duplicate', decision.qr)));
    const qr = decision.qr;
    // The intent is durable before the claim goes out (the output gate holds outgoing calls until then):
    // if this object dies before recording the outcome, the constructor releases the parent again.
    state.version++;
    const claimVersion = state.version;
    this.store.saveMeta(state);
    this.store.markClaimInFlight(qr, claimVersion);
    let link: RpcResult<BillLink>;
    try {
      link = (await this.parent(qr).claimBill(qr, state.billNo, claimVersion)) as RpcResult<BillLink>;
    } catch (err) {
      // Unknown whether the claim landed: release it (a no-op if it did not) and let the client retry.
      log.error('parent claim failed', { object: 'BillSession', billNo: state.billNo, parentQr: qr, ...errorFields(err) });
      this.store.clearClaimInFlight(qr);
      this.store.addParentCall({ qr, kind: 'release', version: claimVersion });
      this.alarms.soon(PARENT_CALL_RETRY_MS);
      return fail(new AppError('UNAVAILABLE', `Parent ${qr} did not answer; scan it again.`));
    }
    this.store.clearClaimInFlight(qr);
    if (link.ok && returnedSince(state, qr, claimVersion)) {
      // A return ticket took the parent off this bill while the claim was answering: it is not on it.
      return this.remember(scanId, fail(new AppError('PARENT_RETURNED', `Parent ${qr} was just returned; scan it again to add it.`, { parentQr: qr })));
    }
    if (!link.ok) {
      // A parent that could not load (Postgres down) is a passing state: not remembered, so a retry
      // with the same scanId asks again. Domain refusals are the scan's answer and are remembered.
      return link.error.code === 'UNAVAILABLE' ? fail(link.error) : this.remember(scanId, fail(link.error));
    }
    // The input gate opened while we awaited the parent: decide again on the current bill.
    decision = decideAdd(state, rawQr);
    if (decision.kind === 'duplicate') return this.remember(scanId, ok(this.addOutcome(state, 'duplicate', qr)));
    if (decision.kind === 'reject') {
      // Filled or finalized meanwhile: give the parent back (retried until it lands).
      if (!state.parents.has(qr)) {
        this.store.addParentCall({ qr, kind: 'release', version: state.version });
        this.ctx.waitUntil(this.runParentCalls([qr]));
      }
      return this.remember(scanId, fail(decision.error));
    }
    const now = Date.now();
    const before = this.auditState(state);
    const event = applyAdd(state, qr, actor.user, factsOf(link.value), now);
    this.store.saveParent(state.parents.get(qr) as BillParent);
    this.store.saveMeta(state);
    this.enqueue('add', actor, qr, link.value.at, { before, after: this.auditState(state) }, now);
    const answer = this.remember(scanId, ok(this.addOutcome(state, 'added', qr)));
    this.afterChange(event);
    return answer;
  }

  private addOutcome(state: BillState, result: AddOutcome['result'], parentQr: string): AddOutcome {
    const totals = billTotals(state.parents.values());
    const p = state.parents.get(parentQr);
    return {
      result,
      parentQr,
      parentCount: totals.parentCount,
      childCount: totals.childCount,
      capacity: state.capacity,
      status: billStatus(state),
      ...(p ? { parent: { qr: p.qr, childCount: p.childCount, ...(p.capacity === undefined ? {} : { capacity: p.capacity }), ...(p.status === undefined ? {} : { status: p.status }) } } : {}),
    };
  }

  private parent(qr: string) {
    return parentFor(this.env, qr);
  }

  // ---------------------------------------------------------------- loading and live counts

  /**
   * The bill, loading it from Postgres when this object has no state (a bill imported or created before
   * its object lost storage). NOT_FOUND when Postgres has no such bill either; UNAVAILABLE when Postgres
   * cannot be asked (we cannot tell "no such bill" from "not loaded yet").
   */
  private async ensureLoaded(billNo: string): Promise<RpcResult<BillState>> {
    if (this.state) return ok(this.state);
    this.loading ??= this.loadFromPostgres(billNo).finally(() => (this.loading = null));
    return this.loading;
  }

  private async loadFromPostgres(billNo: string): Promise<RpcResult<BillState>> {
    let stored: StoredBill | null;
    try {
      stored = await withDb(settings(this.env), (db) => loadBill(db, billNo));
    } catch (err) {
      log.error('cannot load bill from Postgres', { object: 'BillSession', billNo, ...errorFields(err) });
      return fail(new AppError('UNAVAILABLE', `Bill ${billNo} cannot be looked up right now; try again shortly.`));
    }
    if (this.state) return ok(this.state); // created while we awaited
    if (!stored) return fail(new AppError('NOT_FOUND', `Bill ${billNo} does not exist.`, { billNo }));
    const state: BillState = {
      billNo: stored.billNo,
      destination: stored.destination,
      vehicleNo: stored.vehicleNo,
      description: stored.description,
      capacity: stored.capacity,
      createdAt: Date.parse(stored.createdAt),
      createdById: stored.createdById ?? 0,
      createdByName: stored.createdByName ?? 'unknown',
      finalized: stored.finalized,
      finalizedAt: stored.finalizedAt === null ? null : Date.parse(stored.finalizedAt),
      finalizedBy: null,
      parents: new Map(
        stored.parents.map((p) => [
          p.qr,
          {
            qr: p.qr,
            addedAt: Date.parse(p.addedAt),
            byId: p.byId ?? 0,
            byName: p.byName ?? 'unknown',
            childCount: p.childCount,
            status: p.status,
            areaId: p.areaId,
            capacity: settings(this.env).PARENT_CAPACITY,
          },
        ]),
      ),
      weight:
        stored.actualWeightKg === null
          ? null
          : {
              kg: stored.actualWeightKg,
              source: stored.weightSource ?? 'manual',
              at: stored.weighedAt === null ? Date.now() : Date.parse(stored.weighedAt),
              byId: stored.weighedById ?? 0,
              byName: stored.weighedByName ?? 'unknown',
            },
      returned: stored.returned.map((r) => ({
        qr: r.qr,
        ticketCode: r.ticketCode,
        at: Date.parse(r.returnedAt),
        childCount: r.childCount,
        byId: r.byId ?? 0,
        byName: r.byName ?? 'unknown',
        billVersion: 0,
      })),
      // Versions only need to grow per bill: starting from the clock keeps a re-derived bill's calls newer
      // than any call an earlier incarnation of this object made to its parents.
      version: Date.now(),
    };
    this.state = state;
    this.store.saveMeta(state);
    for (const p of state.parents.values()) this.store.saveParent(p);
    for (const r of state.returned) this.store.saveReturned(r);
    return ok(state);
  }

  /**
   * Reads each parent's live child count (children can still be scanned into a parent until its bill is
   * finalized). Parents answer from memory, in parallel; one that cannot be reached keeps its last known
   * count and the view says `stale`. Returns whether any count is stale.
   */
  private async refreshCounts(state: BillState): Promise<boolean> {
    const parents = [...state.parents.values()];
    if (parents.length === 0) return false;
    const answers = await Promise.allSettled(parents.map((p) => this.parent(p.qr).billInfo()));
    let stale = false;
    answers.forEach((answer, i) => {
      const p = parents[i]!;
      if (answer.status === 'rejected') {
        stale = true;
        return;
      }
      const link = answer.value;
      if (!link) return; // known only to Postgres: the count loaded from there stands
      if (link.billNo !== state.billNo) log.warn('bill conflict: parent names another bill', { object: 'BillSession', billNo: state.billNo, parentQr: p.qr, parentSays: link.billNo ?? null });
      if (state.parents.get(p.qr) === p && applyParentFacts(p, factsOf(link))) this.store.saveParent(p);
    });
    return stale;
  }

  // ---------------------------------------------------------------- calls to parents and the flush

  /**
   * Sends pending release/freeze/thaw calls to parents (all, or only `only`). A call stays stored until a
   * parent answers; versions make a late or repeated call harmless. A freeze answer carries the parent's
   * child count at the moment it froze: the final count of a finalized bill.
   */
  private async runParentCalls(only?: string[]): Promise<void> {
    const state = this.state;
    if (!state) return;
    const wanted = only ? new Set(only) : null;
    const calls = this.store.parentCalls().filter((c) => !wanted || wanted.has(c.qr));
    let failed = false;
    await Promise.all(
      calls.map(async (call: ParentCall) => {
        try {
          const stub = this.parent(call.qr);
          const answer = (
            call.kind === 'release'
              ? await stub.releaseBill(call.qr, state.billNo, call.version)
              : await stub.syncBill(call.qr, state.billNo, call.kind === 'freeze', call.version)
          ) as RpcResult<BillLink | null>;
          // UNAVAILABLE (the parent could not load from Postgres): keep the call for the next round.
          if (!answer.ok && answer.error.code === 'UNAVAILABLE') throw new Error(answer.error.message);
          this.store.removeParentCall(call.qr, call.version);
          const link = answer.ok ? answer.value : null;
          const parent = state.parents.get(call.qr);
          if (call.kind === 'freeze' && link && parent && state.finalized && link.billNo === state.billNo) {
            if (applyParentFacts(parent, factsOf(link))) this.store.saveParent(parent);
          }
        } catch (err) {
          failed = true;
          log.warn('alarm retry: parent call failed', { object: 'BillSession', billNo: state.billNo, call: call.kind, parentQr: call.qr, ...errorFields(err) });
        }
      }),
    );
    if (failed) this.alarms.soon(PARENT_CALL_RETRY_MS);
  }

  private enqueue(kind: BillEventKind, actor: BillActor, parentQr: string | null, addedAt: number | null, audit: unknown, now: number): void {
    const state = this.state as BillState;
    const { before, after } =
      kind === 'create' ? { before: null, after: audit } : (audit as { before: unknown; after: unknown });
    const event: BillFlushEvent = {
      eventId: newId(`bill-${kind}`),
      kind,
      billNo: state.billNo,
      at: new Date(now).toISOString(),
      parentQr,
      addedAt: addedAt === null ? null : new Date(addedAt).toISOString(),
      actor: actor.audit,
      before,
      after: parentQr ? { ...(after as object), parentQr } : after,
    };
    this.store.enqueue(event);
  }

  /** The part of the bill an audit row shows before and after a change. */
  private auditState(state: BillState): Record<string, unknown> {
    return { status: billStatus(state), finalized: state.finalized, parents: [...state.parents.keys()] };
  }

  private hasWork(): boolean {
    return this.store.outboxSize() > 0 || this.store.parentCalls().length > 0;
  }

  /** The one alarm: parent calls and the flush (`work` lane) and, while sockets are open, the session sweep. */
  override async alarm(): Promise<void> {
    const due = this.alarms.fired();
    if (due(SWEEP_LANE)) await this.sockets.sweep().catch((err) => (console.error('socket sweep failed', err), this.alarms.soon(1000, SWEEP_LANE)));
    if (due('work')) await this.work();
  }

  private async work(): Promise<void> {
    await this.runParentCalls();
    const flushed = this.state ? await this.flusher.run(this.state) : true;
    if (flushed) this.alarms.recovered();
    if (this.alarms.pending) return;
    if (!flushed) this.alarms.backoff(this.flusher.failures);
    else if (this.store.parentCalls().length > 0) this.alarms.soon(PARENT_CALL_RETRY_MS);
  }

  private afterChange(event: BillEvent): void {
    this.alarms.soon(this.flusher.delayMs());
    const state = this.state as BillState;
    if (event.type === 'created') return;
    const totals = billTotals(state.parents.values(), state.weight);
    const message: BillEventMessage = {
      type: event.type,
      billNo: state.billNo,
      ...(event.type === 'added' || event.type === 'removed' ? { parentQr: event.parent.qr } : event.type === 'returned' ? { parentQr: event.line.qr } : {}),
      parentCount: totals.parentCount,
      childCount: totals.childCount,
      status: billStatus(state),
      finalized: state.finalized,
      by: event.type === 'added' ? event.parent.byName : event.byName,
      at: new Date(event.type === 'added' ? event.parent.addedAt : event.at).toISOString(),
    };
    this.sockets.broadcast(JSON.stringify(message satisfies BillServerMessage));
  }

  // ---------------------------------------------------------------- WebSocket (watching a bill)

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return Response.json({ error: { code: 'INVALID_INPUT', message: 'Expected a WebSocket upgrade.' } }, { status: 426 });
    }
    const parsed = socketUserSchema.safeParse(JSON.parse(request.headers.get('X-TT-User') ?? 'null'));
    if (!parsed.success) return Response.json({ error: { code: 'UNAUTHENTICATED', message: 'Not signed in.' } }, { status: 401 });
    const view = await this.get(request.headers.get('X-TT-Bill') ?? '');
    if (!view.ok) return Response.json({ error: view.error }, { status: view.error.code === 'NOT_FOUND' ? 404 : 503 });
    return this.sockets.accept(parsed.data, () => JSON.stringify({ type: 'state', bill: view.value } satisfies BillServerMessage));
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (!(await this.sockets.admit(ws))) return;
    const msg = parseSocketMessage(message, billClientMessageSchema, MAX_WS_MESSAGE);
    if (!msg.ok) {
      ws.send(JSON.stringify({ type: 'error', error: msg.error } satisfies BillServerMessage));
      return;
    }
    switch (msg.value.type) {
      case 'resync': {
        const state = this.state;
        if (state) ws.send(JSON.stringify({ type: 'state', bill: toBillView(state, state.finalized ? false : await this.refreshCounts(state)) } satisfies BillServerMessage));
        return;
      }
      default:
        assertNever(msg.value.type);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeQuietly(ws, code, reason);
  }

  override async webSocketError(): Promise<void> {
    // Nothing to clean up: sockets carry their identity in attachments.
  }
}

