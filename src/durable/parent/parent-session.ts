// One Durable Object per parent bag (idFromName(parentQr)). It answers scans from memory, claims new
// children in the sharded QR registry, persists each accepted scan to its SQLite before the ack leaves,
// fans events out over hibernating WebSockets, pushes summaries to the area's live board and flushes
// to Postgres from an alarm. The rules themselves live in session-logic.ts.
import { DurableObject } from 'cloudflare:workers';
import { AppError, type ErrorBody } from '../../shared/errors';
import { PARENT_FORMAT } from '../../shared/qr';
import { newId } from '../../shared/ids';
import { assertNever, clientMessageSchema, type AckMessage, type ServerMessage, type UndoAckMessage } from '../../shared/protocol';
import type { ParentView, SessionSummary, SessionUser } from '../../shared/types';
import { driverFor } from '../../db/client';
import { countEmptyOpenParents, EMPTY_OPEN_PARENTS_SQL, loadParent, type StoredParent } from '../../db/parents';
import type { ReadResult } from '../reader/pg-reader';
import { scopedEventId } from '../../db/event-ids';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { AlarmScheduler } from '../alarm-scheduler';
import { answerLimits, ScanAnswers } from '../kit/scan-answers';
import { SocketGuard, SWEEP_LANE } from '../kit/socket-guard';
import { fail, ok, type RpcResult } from '../rpc';
import { billFor, boardFor, metricsSink, parentFor, readerFor, registryFor } from '../stubs';
import { closeQuietly, parseSocketMessage } from '../sockets';
import type { ClaimResult } from '../registry/qr-registry';
import { ParentFlusher } from './flusher';
import {
  applyClaimBill,
  applyComplete,
  applyReturn,
  decideReturn,
  applyReleaseBill,
  applySyncBill,
  decideClaimBill,
  applyLink,
  applyUnlink,
  checkArea,
  checkAreaForRead,
  decideComplete,
  decideScan,
  decideUndo,
  decideUnlink,
  neverOpened,
  newSessionState,
  sessionFromStored,
  toParentView,
  type ChildEntry,
  type ParentReturn,
  type SessionEvent,
  type SessionState,
} from './session-logic';
import { ParentStorage } from './storage';
import { errorFields, log } from '../../observability/log';
import { countMetric, observeMetric, type MetricsSink } from '../../observability/metrics';
import { socketUserSchema } from './socket-user';

export interface ScanOutcome {
  result: 'linked' | 'duplicate';
  childQr: string;
  childCount: number;
  capacity: number;
  status: SessionState['status'];
}

/** A dry run's answer for one child (see previewScans). */
export interface PreviewAnswer {
  outcome: 'would_link' | 'would_add' | 'already' | 'conflict';
  code?: string;
  message?: string;
  /** Where the child already is (CHILD_IN_OTHER_PARENT), for the import screen's words in the user's language. */
  parentQr?: string;
}

/** A scan's answer; a rejection keeps the child QR so the client can show which scan failed. */
export type ScanAnswer = RpcResult<ScanOutcome> & { childQr: string };

export interface RemovalOutcome {
  removed: string;
  childCount: number;
  status: SessionState['status'];
}

/** What a bill learns from a parent: whether it is (still) on the bill, frozen, and how many children. */
export interface BillLink {
  qr: string;
  billNo: string | null;
  billFinalized: boolean;
  childCount: number;
  /** The parent's own state, capacity and area, so a bill can say which of its parents are not complete. */
  status: SessionState['status'];
  capacity: number;
  areaId: number;
  /** This object's clock when it answered: a claim's time orders a parent's moves between bills in Postgres. */
  at: number;
}

function billLink(state: SessionState): BillLink {
  return {
    qr: state.qr,
    billNo: state.billNo,
    billFinalized: state.billFinalized,
    childCount: state.children.size,
    status: state.status,
    capacity: state.capacity,
    areaId: state.areaId,
    at: Date.now(),
  };
}

const MAX_WS_MESSAGE = 4096;
/** How long opening a new parent waits for the empty-parent count before going ahead without it. */
const EMPTY_PARENT_COUNT_TIMEOUT_MS = 500;

/** What the Worker passes along with a command: the HTTP request's id (log lines, audit rows). */
export interface CallMeta {
  requestId?: string | null;
}

export class ParentSession extends DurableObject<Env> {
  private readonly store: ParentStorage;
  private readonly alarms: AlarmScheduler;
  private readonly flusher: ParentFlusher;
  private readonly sockets: SocketGuard;
  private readonly answers: ScanAnswers;
  private state: SessionState | null = null;
  private opening: Promise<RpcResult<SessionState>> | null = null;
  private readonly claimsInFlight = new Set<string>();
  private boardInFlight = false;
  private boardDirty = false;
  private billInFlight = false;
  private billDirty = false;
  /** Where metrics go: the isolate's buffer, flushed in the background (never awaited before an ack). */
  private readonly sink: MetricsSink;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sink = metricsSink(env, (p) => ctx.waitUntil(p));
    this.store = new ParentStorage(ctx.storage.sql);
    this.alarms = new AlarmScheduler(ctx.storage);
    this.flusher = new ParentFlusher(this.alarms, env, this.store, () => this.state);
    this.sockets = new SocketGuard(ctx, env, this.alarms, { idle: true });
    this.answers = new ScanAnswers(ctx.storage.sql, () => answerLimits(settings(env)));
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    // Not awaited (a constructor cannot be async): the runtime holds every request until this settles.
    void ctx.blockConcurrencyWhile(async () => {
      this.state = this.store.loadState();
      this.answers.load();
      await this.alarms.load();
      this.flusher.resume();
      await this.sockets.resume();
    });
  }

  // ---------------------------------------------------------------- RPC: reads and opening

  async open(user: SessionUser, qr: string, requestedAreaId?: number, meta?: CallMeta): Promise<RpcResult<ParentView>> {
    const started = performance.now();
    if (!this.state) {
      this.opening ??= this.initialize(user, qr, requestedAreaId, meta).finally(() => (this.opening = null));
      const created = await this.opening;
      if (!created.ok) return created;
    }
    const view = this.view(user);
    observeMetric(this.sink, 'tracetrack_parent_open_seconds', undefined, performance.now() - started);
    return view;
  }

  async get(user: SessionUser): Promise<RpcResult<ParentView>> {
    return this.view(user, true);
  }

  // ---------------------------------------------------------------- RPC: dry runs (spreadsheet import)

  /**
   * What scanning these children into this parent would answer, one by one, without changing anything:
   * no registry claim, no storage, no Postgres write. The same rules as scan() (decideScan on a copy of the
   * state, capacity counted across the list) plus a registry lookup per child that would be claimed.
   * A parent this object has no state for is read from Postgres (if the registry knows it) or taken as new.
   */
  async previewScans(user: SessionUser, qr: string, rawQrs: string[], requestedAreaId?: number): Promise<RpcResult<PreviewAnswer[]>> {
    let base = this.state;
    if (!base) {
      const entry = await registryFor(this.env, qr).lookup(qr);
      if (entry?.role === 'child') {
        return fail(new AppError('QR_ROLE_CONFLICT', `${qr} is a child bag and cannot be opened as a parent (expected ${PARENT_FORMAT}).`));
      }
      const areaId = user.areaId ?? requestedAreaId;
      let stored: StoredParent | null = null;
      if (entry) {
        try {
          stored = await withDb(settings(this.env), (db) => loadParent(db, qr));
        } catch (err) {
          console.error('cannot load known parent from Postgres', qr, err);
          return fail(new AppError('UNAVAILABLE', `Parent ${qr} exists but cannot be loaded right now; try again shortly.`));
        }
      }
      if (!stored && (areaId === undefined || areaId === null)) {
        return fail(new AppError('INVALID_INPUT', `Parent ${qr} is new: choose the dispatch area for the parents this file creates.`));
      }
      const capacity = settings(this.env).PARENT_CAPACITY;
      base = this.state ?? (stored ? sessionFromStored(stored, areaId ?? 0, capacity) : newSessionState(qr, areaId as number, capacity, user, Date.now()));
    }
    const denied = checkArea(base, user);
    if (denied) return fail(denied);
    const sim: SessionState = { ...base, children: new Map(base.children) };
    const answers: PreviewAnswer[] = [];
    for (const raw of rawQrs) {
      const decision = decideScan(sim, raw);
      if (decision.kind === 'duplicate') answers.push({ outcome: 'already' });
      else if (decision.kind === 'reject') answers.push({ outcome: 'conflict', code: decision.error.code, message: decision.error.message });
      else {
        const entry = await registryFor(this.env, decision.childQr).lookup(decision.childQr);
        if (entry?.role === 'parent') {
          answers.push({ outcome: 'conflict', code: 'QR_ROLE_CONFLICT', message: `${decision.childQr} is a parent bag, not a child.` });
        } else if (entry?.parentQr && entry.parentQr !== sim.qr) {
          answers.push({ outcome: 'conflict', code: 'CHILD_IN_OTHER_PARENT', message: `${decision.childQr} is already in ${entry.parentQr}.`, parentQr: entry.parentQr });
        } else {
          applyLink(sim, decision.childQr, user, 'preview', Date.now());
          answers.push({ outcome: 'would_link' });
        }
      }
    }
    return ok(answers);
  }

  /** Whether bill `billNo` could take this parent, without changing anything (a bill's dry run). */
  async previewBill(qr: string, billNo: string): Promise<RpcResult<BillLink>> {
    let state = this.state;
    if (!state) {
      const entry = await registryFor(this.env, qr).lookup(qr);
      if (!entry || entry.role !== 'parent') {
        return fail(new AppError('PARENT_NOT_FOUND', `Parent ${qr} does not exist: open it and scan its children first.`, { parentQr: qr }));
      }
      let stored: StoredParent | null;
      try {
        stored = await withDb(settings(this.env), (db) => loadParent(db, qr));
      } catch (err) {
        console.error('cannot load known parent from Postgres', qr, err);
        return fail(new AppError('UNAVAILABLE', `Parent ${qr} exists but cannot be loaded right now; try again shortly.`));
      }
      if (!stored) return fail(new AppError('PARENT_NOT_FOUND', `Parent ${qr} does not exist: open it and scan its children first.`, { parentQr: qr }));
      state = this.state ?? sessionFromStored(stored, stored.areaId ?? 0, settings(this.env).PARENT_CAPACITY);
    }
    const denied = decideClaimBill(state, billNo);
    return denied ? fail(denied) : ok(billLink(state));
  }

  // ---------------------------------------------------------------- RPC: bills
  // The parent decides which bill it is on (one bill per parent, exactly once): each call below is
  // synchronous after loading, so the object's input gate orders concurrent claims from two bills.
  // The calling BillSession passes its version; older calls than one applied are ignored (see
  // session-logic.ts), so retried releases and finalize syncs cannot undo newer decisions.

  /** Puts this parent on `billNo` unless another bill has it; answers with its child count. */
  async claimBill(qr: string, billNo: string, version: number): Promise<RpcResult<BillLink>> {
    const loaded = await this.loadForBill(qr);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const denied = decideClaimBill(state, billNo);
    if (denied) return fail(denied);
    if (applyClaimBill(state, billNo, version)) this.billChanged(state);
    if (state.billNo !== billNo) return fail(new AppError('CONFLICT', `A newer call of bill ${billNo} released ${state.qr}; try again.`));
    return ok(billLink(state));
  }

  /** Takes this parent off `billNo` (no-op when another bill, or a newer call, has it). */
  async releaseBill(qr: string, billNo: string, version: number): Promise<RpcResult<BillLink | null>> {
    const state = await this.stateForBillCall(qr);
    if (!state.ok || !state.value) return state as RpcResult<null>;
    if (applyReleaseBill(state.value, billNo, version)) this.billChanged(state.value);
    return ok(billLink(state.value));
  }

  /** Freezes (finalized) or thaws the parent for the bill that holds it; answers its child count. */
  async syncBill(qr: string, billNo: string, finalized: boolean, version: number): Promise<RpcResult<BillLink | null>> {
    const state = await this.stateForBillCall(qr);
    if (!state.ok || !state.value) return state as RpcResult<null>;
    if (applySyncBill(state.value, billNo, finalized, version)) this.billChanged(state.value);
    return ok(billLink(state.value));
  }

  /**
   * A release or freeze for a parent whose object has no state (known only to Postgres, e.g. on an
   * imported bill) loads it first: otherwise it would later be re-derived from Postgres with a bill
   * membership the call should have changed. A parent that exists nowhere has nothing to change (null).
   */
  private async stateForBillCall(qr: string): Promise<RpcResult<SessionState | null>> {
    if (this.state) return ok(this.state);
    const loaded = await this.loadForBill(qr);
    if (loaded.ok) return loaded;
    return loaded.error.code === 'PARENT_NOT_FOUND' ? ok(null) : loaded;
  }

  /**
   * A return ticket takes this parent off its bill (issue 13). Decided here, like a bill claim: the parent is
   * free for a new bill as soon as this answers; the ticket then tells the bill (retried until it lands).
   * Repeating the call for the same ticket answers the same facts (the ticket retries after a crash).
   */
  async returnToTicket(qr: string, ticketCode: string): Promise<RpcResult<ParentReturn & { qr: string; areaId: number }>> {
    const loaded = await this.loadForBill(qr);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const decision = decideReturn(state, ticketCode);
    if (decision.kind === 'reject') return fail(decision.error);
    if (decision.kind === 'again') return ok({ ...decision.returned, qr: state.qr, areaId: state.areaId });
    const returned = applyReturn(state, ticketCode, Date.now());
    this.billChanged(state);
    return ok({ ...returned, qr: state.qr, areaId: state.areaId });
  }

  /** The return that last took this parent off a bill, while it is on no bill again (a ticket's crash repair). */
  async returnInfo(): Promise<(ParentReturn & { areaId: number }) | null> {
    const state = this.state;
    return state && state.billNo === null && state.returned ? { ...state.returned, areaId: state.areaId } : null;
  }

  /** The live child count a bill shows for this parent. */
  async billInfo(): Promise<BillLink | null> {
    return this.state ? billLink(this.state) : null;
  }

  private billChanged(state: SessionState): void {
    this.store.saveMeta(state);
    // Scanners of this parent see at once that it is frozen (or free again).
    this.broadcast({ type: 'state', parent: toParentView(state) });
  }

  /**
   * A bill may only take a parent that exists. An object without state may still belong to a parent the
   * registry knows (after a registry rebuild or an import): its state is re-derived from Postgres, bill
   * membership included. A QR the registry does not know as a parent is PARENT_NOT_FOUND.
   */
  private async loadForBill(qr: string): Promise<RpcResult<SessionState>> {
    if (this.state) return ok(this.state);
    const entry = await registryFor(this.env, qr).lookup(qr);
    if (!entry || entry.role !== 'parent') {
      return fail(new AppError('PARENT_NOT_FOUND', `Parent ${qr} does not exist: open it and scan its children first.`, { parentQr: qr }));
    }
    let stored: StoredParent | null;
    try {
      stored = await withDb(settings(this.env), (db) => loadParent(db, qr));
    } catch (err) {
      log.error('cannot load known parent from Postgres', { object: 'ParentSession', parentQr: qr, ...errorFields(err) });
      return fail(new AppError('UNAVAILABLE', `Parent ${qr} exists but cannot be loaded right now; try again shortly.`));
    }
    if (this.state) return ok(this.state); // opened by someone else while we awaited
    if (!stored) {
      return fail(new AppError('PARENT_NOT_FOUND', `Parent ${qr} does not exist: open it and scan its children first.`, { parentQr: qr }));
    }
    const state = sessionFromStored(stored, stored.areaId ?? 0, settings(this.env).PARENT_CAPACITY);
    this.state = state;
    for (const child of state.children.values()) this.store.insertChild(child);
    this.store.saveMeta(state);
    this.store.enqueueSnapshot();
    this.flusher.schedule();
    return ok(state);
  }

  /** `read`: another area's parent reads as never opened (see checkAreaForRead). */
  private view(user: SessionUser, read = false): RpcResult<ParentView> {
    const state = this.state;
    if (!state) return fail(neverOpened());
    const denied = read ? checkAreaForRead(state, user) : checkArea(state, user);
    return denied ? fail(denied) : ok(toParentView(state));
  }

  private async initialize(user: SessionUser, qr: string, requestedAreaId?: number, meta?: CallMeta): Promise<RpcResult<SessionState>> {
    const areaId = user.areaId ?? requestedAreaId;
    if (areaId === undefined || areaId === null) {
      return fail(new AppError('INVALID_INPUT', 'areaId is required to open a new parent for a user without a dispatch area.'));
    }
    const capped = await this.emptyParentCap(user, qr);
    if (capped) return fail(capped);
    const registered = await registryFor(this.env, qr).registerParent(qr);
    if ('error' in registered) return fail(registered.error as ErrorBody);
    let stored: StoredParent | null = null;
    if (registered.known) {
      // The registry knows this parent but this object has no state: its history is in Postgres.
      try {
        stored = await withDb(settings(this.env), (db) => loadParent(db, qr));
      } catch (err) {
        log.error('cannot load known parent from Postgres', { object: 'ParentSession', parentQr: qr, requestId: meta?.requestId, ...errorFields(err) });
        return fail(new AppError('UNAVAILABLE', `Parent ${qr} exists but its history cannot be loaded right now; try again shortly.`));
      }
    }
    if (this.state) return ok(this.state); // another caller finished first while we awaited
    const capacity = settings(this.env).PARENT_CAPACITY;
    const state = stored ? sessionFromStored(stored, areaId, capacity) : newSessionState(qr, areaId, capacity, user, Date.now());
    this.state = state;
    for (const child of state.children.values()) this.store.insertChild(child);
    this.store.saveMeta(state);
    this.store.enqueueSnapshot();
    this.flusher.schedule();
    this.pushBoard();
    return ok(state);
  }

  /**
   * Parent labels are a space of 100,000 and the first opener's area owns one: a user may hold at most
   * EMPTY_PARENTS_PER_USER open parents with no child (counted in Postgres, which lags the objects by a
   * flush, under a second). At the cap, opening a label the registry does not know is refused; opening an
   * existing parent creates nothing and stays allowed. If Postgres cannot be asked, the open goes ahead: the
   * cap guards against squatting, it must not stop a floor whose database is briefly away.
   */
  private async emptyParentCap(user: SessionUser, qr: string): Promise<AppError | null> {
    const cap = settings(this.env).EMPTY_PARENTS_PER_USER;
    let held: number;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // A busy database must not hold up opening a bag: past EMPTY_PARENT_COUNT_TIMEOUT_MS the open goes ahead.
      held = await Promise.race([
        this.emptyParentsOf(user.id, cap),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('empty-parent count timed out')), EMPTY_PARENT_COUNT_TIMEOUT_MS))),
      ]);
    } catch (err) {
      console.error('empty-parent count unavailable; opening without it', qr, err instanceof Error ? err.message : err);
      return null;
    } finally {
      clearTimeout(timer);
    }
    if (held < cap) return null;
    const entry = await registryFor(this.env, qr).lookup(qr);
    if (entry?.role === 'parent') return null;
    return new AppError(
      'TOO_MANY_EMPTY_PARENTS',
      `You already hold ${cap} open parent bags with no child bag in them: fill or complete those first (or ask an admin to delete unused ones) before opening a new label.`,
      { limit: cap },
    );
  }

  /** Over TCP through a PgReader object (kept connections, like the read side); with neon-http, one query. */
  private async emptyParentsOf(userId: number, cap: number): Promise<number> {
    const s = settings(this.env);
    if (driverFor(s) === 'postgres-js' && s.READ_VIA_OBJECT) {
      const result = (await readerFor(this.env).query(EMPTY_OPEN_PARENTS_SQL, [userId, cap])) as ReadResult;
      if (!result.ok) throw new Error(result.message);
      return Number((result.rows[0] as { n?: number | string } | undefined)?.n ?? 0);
    }
    return withDb(s, (db) => countEmptyOpenParents(db, userId, cap));
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
    const id = scanId ?? newId('scan');
    return this.answers.once(id, () => this.scanOnce(state, user, rawQr, id, requestId)) as Promise<ScanAnswer>;
  }

  async undo(user: SessionUser, scanId?: string, meta?: CallMeta): Promise<RpcResult<RemovalOutcome>> {
    const state = this.state;
    if (!state) return fail(new AppError('NOT_FOUND', 'Parent was never opened.'));
    const denied = checkArea(state, user);
    if (denied) return fail(denied);
    const id = scanId ?? newId('undo');
    return this.answers.once(id, async () => {
      const child = decideUndo(state, user, Date.now(), settings(this.env).UNDO_WINDOW_SECONDS * 1000);
      if (child instanceof AppError) return this.remember(id, fail(child));
      return this.remove(state, child, user, 'undo', id, meta?.requestId ?? null);
    }) as Promise<RpcResult<RemovalOutcome>>;
  }

  async unlink(user: SessionUser, childQr: string, meta?: CallMeta): Promise<RpcResult<RemovalOutcome>> {
    const state = this.state;
    if (!state) return fail(new AppError('NOT_FOUND', 'Parent was never opened.'));
    const denied = checkArea(state, user);
    if (denied) return fail(denied);
    const child = decideUnlink(state, childQr);
    if (child instanceof AppError) return fail(child);
    return this.remove(state, child, user, 'unlink', newId('unlink'), meta?.requestId ?? null);
  }

  async complete(user: SessionUser): Promise<RpcResult<ParentView>> {
    const state = this.state;
    if (!state) return fail(new AppError('NOT_FOUND', 'Parent was never opened.'));
    const denied = checkArea(state, user) ?? decideComplete(state, user);
    if (denied) return fail(denied);
    const events = applyComplete(state, user, Date.now());
    if (events.length) {
      this.store.saveMeta(state);
      this.store.enqueueSnapshot();
      this.afterChange(events);
    }
    return ok(toParentView(state));
  }

  // ---------------------------------------------------------------- the scan path

  private remember<T extends RpcResult<unknown>>(id: string, answer: T): T {
    return this.answers.remember(id, answer);
  }

  private async scanOnce(state: SessionState, user: SessionUser, rawQr: string, scanId: string, requestId: string | null): Promise<ScanAnswer> {
    let decision = decideScan(state, rawQr);
    let claimedNow = false;
    if (decision.kind === 'claim') {
      const childQr = decision.childQr;
      // In memory only (no extra storage commit on the hot path): if this object dies before linking,
      // the stale claim is repaired lazily by the next parent that wants the child (claimFrom).
      this.claimsInFlight.add(childQr);
      let claim;
      try {
        claim = await this.claim(childQr, state.qr, requestId);
      } catch (err) {
        // We cannot know whether the claim landed: give it back later and let the client retry.
        this.store.addPendingRelease(childQr, Date.now());
        this.flusher.schedule();
        countMetric(this.sink, 'tracetrack_registry_errors_total');
        log.error('registry claim failed', { object: 'ParentSession', parentQr: state.qr, childQr, scanId, requestId, ...errorFields(err) });
        return { ...fail(new AppError('UNAVAILABLE', 'The QR registry did not answer; scan again.')), childQr };
      } finally {
        this.claimsInFlight.delete(childQr);
      }
      if ('error' in claim) return this.record(state, user, scanId, { kind: 'reject', childQr, error: claim.error }, requestId);
      claimedNow = !claim.alreadyMine;
      // The input gate opened while we awaited the registry: decide again on the current state.
      decision = decideScan(state, rawQr);
      if (decision.kind === 'reject' && claimedNow && !state.children.has(childQr)) {
        this.store.addPendingRelease(childQr, Date.now());
        this.flusher.schedule();
      }
    }
    return this.record(state, user, scanId, decision, requestId);
  }

  /**
   * Claims a child in the registry. When the registry names another parent, that parent is asked whether
   * it really holds the child (or is claiming it right now); a parent that died between its claim and its
   * link says no, and the claim moves here. This keeps crash repair off the common path.
   */
  private async claim(childQr: string, parentQr: string, requestId: string | null): Promise<ClaimResult> {
    const registry = registryFor(this.env, childQr);
    const claim = (await registry.claimChild(childQr, parentQr)) as ClaimResult;
    if (!('error' in claim) || claim.error.code !== 'CHILD_IN_OTHER_PARENT') return claim;
    const owner = String(claim.error.parentQr);
    const holds = await parentFor(this.env, owner).holdsChild(childQr);
    if (holds) return claim;
    log.warn('claim repair: moving a stale registry claim', { object: 'ParentSession', childQr, from: owner, to: parentQr, requestId });
    return (await registry.reassignChild(childQr, owner, parentQr)) as ClaimResult;
  }

  /** For another parent repairing a stale claim: does this parent hold (or is it claiming) the child? */
  async holdsChild(childQr: string): Promise<boolean> {
    // No state here means the claim came from Postgres (registry rebuild): keep it, the parent will
    // rehydrate its children when it is opened.
    if (!this.state) return true;
    return this.claimsInFlight.has(childQr) || this.state.children.has(childQr);
  }

  /** Persists the outcome of a scan (one implicit SQLite transaction) and answers. */
  private record(
    state: SessionState,
    user: SessionUser,
    scanId: string,
    decision:
      | { kind: 'claim'; childQr: string }
      | { kind: 'duplicate'; childQr: string }
      | { kind: 'reject'; childQr: string; error: AppError | ErrorBody },
    requestId: string | null = null,
  ): ScanAnswer {
    const now = Date.now();
    const { childQr } = decision;
    // The scanId is this parent's idempotency key only; Postgres keys events globally (event-ids.ts).
    const eventId = scopedEventId(state.qr, scanId);
    let events: SessionEvent[] = [];
    let answer: ScanAnswer;
    if (decision.kind === 'claim') {
      events = applyLink(state, childQr, user, scanId, now);
      const child = state.children.get(childQr) as ChildEntry;
      this.store.insertChild(child);
      this.store.removePendingRelease(childQr);
      this.store.saveMeta(state);
      this.store.enqueueChange({ kind: 'link', eventId, childQr, parentQr: state.qr, areaId: state.areaId, at: iso(now), userId: user.id, ...(requestId ? { requestId } : {}) });
      answer = { ...ok(this.outcome(state, 'linked', childQr)), childQr };
    } else if (decision.kind === 'duplicate') {
      answer = { ...ok(this.outcome(state, 'duplicate', childQr)), childQr };
    } else {
      answer = { ...fail(decision.error), childQr };
    }
    this.store.enqueueScan({
      scanId: eventId,
      parentQr: state.qr,
      childQr,
      userId: user.id,
      areaId: state.areaId,
      result: decision.kind === 'claim' ? 'linked' : decision.kind === 'duplicate' ? 'duplicate' : 'rejected',
      errorCode: answer.ok ? null : answer.error.code,
      at: iso(now),
    });
    this.remember(scanId, answer);
    const result = decision.kind === 'claim' ? 'linked' : decision.kind === 'duplicate' ? 'duplicate' : 'rejected';
    countMetric(this.sink, 'tracetrack_scans_total', { result, area: state.areaId });
    if (!answer.ok) countMetric(this.sink, 'tracetrack_scan_rejections_total', { code: answer.error.code, area: state.areaId });
    this.afterChange(events);
    // A refused scan moves no tile, but the area's board shows rejections of the last hour: the (unchanged)
    // summary tells its watchers to read the day's figures again. Rejections are rare; the push coalesces.
    if (decision.kind === 'reject') this.pushBoard();
    return answer;
  }

  private outcome(state: SessionState, result: ScanOutcome['result'], childQr: string): ScanOutcome {
    return { result, childQr, childCount: state.children.size, capacity: state.capacity, status: state.status };
  }

  private async remove(
    state: SessionState,
    child: ChildEntry,
    user: SessionUser,
    reason: 'undo' | 'unlink',
    key: string,
    requestId: string | null = null,
  ): Promise<RpcResult<RemovalOutcome>> {
    const now = Date.now();
    const events = applyUnlink(state, child, user, reason, now);
    this.store.deleteChild(child.qr);
    this.store.saveMeta(state);
    const eventId = scopedEventId(state.qr, key);
    this.store.enqueueChange({ kind: 'unlink', eventId, childQr: child.qr, parentQr: state.qr, at: iso(now), userId: user.id, reason, ...(requestId ? { requestId } : {}) });
    // Local removal is durable first; the registry release follows and is retried until it lands.
    this.store.addPendingRelease(child.qr, now);
    const answer = ok<RemovalOutcome>({ removed: child.qr, childCount: state.children.size, status: state.status });
    if (reason === 'undo') this.remember(key, answer);
    this.afterChange(events);
    await this.flusher.pushThenRelease(child.qr);
    return answer;
  }

  private afterChange(events: SessionEvent[]): void {
    this.flusher.schedule();
    if (events.length === 0) return;
    const state = this.state as SessionState;
    for (const event of events) this.broadcast(eventMessage(state, event));
    this.pushBoard();
    this.pushBill();
  }

  // ---------------------------------------------------------------- fan-out

  /** To every socket whose session is still on (checked without I/O; ended ones are closed). */
  private broadcast(message: ServerMessage): void {
    this.sockets.broadcast(JSON.stringify(message));
  }

  /** Pushes the summary to the area board without delaying the ack; at most one push in flight. */
  private pushBoard(): void {
    if (this.boardInFlight) {
      this.boardDirty = true;
      return;
    }
    const state = this.state;
    if (!state) return;
    this.boardInFlight = true;
    const push = async () => {
      do {
        this.boardDirty = false;
        await boardFor(this.env, state.areaId).update(this.summary(state));
      } while (this.boardDirty);
    };
    this.ctx.waitUntil(
      push()
        .catch((err) => log.warn('live board push failed', { object: 'ParentSession', parentQr: state.qr, ...errorFields(err) }))
        .finally(() => (this.boardInFlight = false)),
    );
  }

  /**
   * A parent on an open bill tells the bill its new child count, so people watching the bill see it
   * move. Like the board push: never delays the ack, at most one in flight, later changes coalesce.
   * The bill's GET reads counts from its parents itself, so a lost push costs liveness, not correctness.
   */
  private pushBill(): void {
    const state = this.state;
    if (!state?.billNo || state.billFinalized) return;
    if (this.billInFlight) {
      this.billDirty = true;
      return;
    }
    this.billInFlight = true;
    const push = async () => {
      do {
        this.billDirty = false;
        if (!state.billNo) return;
        await billFor(this.env, state.billNo).parentCounted(state.qr, state.children.size, state.status);
      } while (this.billDirty);
    };
    this.ctx.waitUntil(
      push()
        .catch((err) => log.warn('bill push failed', { object: 'ParentSession', parentQr: state.qr, billNo: state.billNo, ...errorFields(err) }))
        .finally(() => (this.billInFlight = false)),
    );
  }

  private summary(state: SessionState): SessionSummary {
    let last: ChildEntry | undefined;
    for (const c of state.children.values()) last = c;
    return {
      parentQr: state.qr,
      areaId: state.areaId,
      childCount: state.children.size,
      capacity: state.capacity,
      status: state.status,
      lastScanAt: last ? iso(last.linkedAt) : null,
      by: last?.byName ?? null,
    };
  }

  // ---------------------------------------------------------------- WebSocket

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return Response.json({ error: { code: 'INVALID_INPUT', message: 'Expected a WebSocket upgrade.' } }, { status: 426 });
    }
    const parsed = socketUserSchema.safeParse(JSON.parse(request.headers.get('X-TT-User') ?? 'null'));
    if (!parsed.success) return Response.json({ error: { code: 'UNAUTHENTICATED', message: 'Not signed in.' } }, { status: 401 });
    const user = parsed.data;
    const opened = this.view(user, true);
    if (!opened.ok) {
      const status = opened.error.code === 'NOT_FOUND' ? 404 : 403;
      return Response.json({ error: opened.error }, { status });
    }
    countMetric(this.sink, 'tracetrack_websocket_opened_total', { kind: 'parent' });
    return this.sockets.accept(user, () => {
      const state = this.state as SessionState;
      return JSON.stringify({ type: 'state', parent: toParentView(state) } satisfies ServerMessage);
    });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const received = Date.now();
    const receivedAt = performance.now();
    // Expired, idle or signed-out sessions lose the socket, a socket over its rate is answered with an
    // error; a message is activity and slides the idle deadline.
    const user = await this.sockets.admit(ws, received);
    if (!user) return;
    const parsed = parseSocketMessage(message, clientMessageSchema, MAX_WS_MESSAGE);
    if (!parsed.ok) {
      ws.send(JSON.stringify({ type: 'error', error: parsed.error } satisfies ServerMessage));
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case 'scan': {
        const answer = await this.scan(user, msg.qr, msg.scanId);
        ws.send(JSON.stringify(ackMessage(msg.scanId, answer, this.state, Date.now() - received)));
        observeMetric(this.sink, 'tracetrack_scan_ack_seconds', { via: 'ws' }, performance.now() - receivedAt);
        return;
      }
      case 'undo': {
        const answer = await this.undo(user, msg.scanId);
        const reply: UndoAckMessage = answer.ok
          ? { type: 'undone', scanId: msg.scanId, removed: answer.value.removed, childCount: answer.value.childCount }
          : { type: 'undone', scanId: msg.scanId, removed: null, childCount: this.state?.children.size ?? 0, error: answer.error };
        ws.send(JSON.stringify(reply satisfies ServerMessage));
        return;
      }
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
    if (due(SWEEP_LANE)) await this.sockets.sweep().catch((err) => (console.error('socket sweep failed', err), this.alarms.soon(1000, SWEEP_LANE)));
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function eventMessage(state: SessionState, event: SessionEvent): ServerMessage {
  const base = { parentQr: state.qr, childCount: state.children.size, status: state.status };
  switch (event.type) {
    case 'linked':
      return { ...base, type: 'linked', childQr: event.child.qr, by: event.child.byName, at: iso(event.child.linkedAt) };
    case 'unlinked':
      return { ...base, type: 'unlinked', childQr: event.child.qr, by: event.byName, at: iso(event.at) };
    case 'completed':
      return { ...base, type: 'completed', by: event.byName, at: iso(event.at) };
  }
}


function ackMessage(scanId: string, answer: ScanAnswer, state: SessionState | null, serverMs: number): AckMessage & { serverMs: number } {
  if (answer.ok) return { type: 'ack', scanId, ...answer.value, serverMs };
  return {
    type: 'ack',
    scanId,
    result: 'rejected',
    childQr: answer.childQr,
    childCount: state?.children.size ?? 0,
    capacity: state?.capacity ?? 0,
    status: state?.status ?? 'open',
    error: answer.error,
    serverMs,
  };
}
