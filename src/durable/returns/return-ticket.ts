// One Durable Object per return ticket (idFromName(code)), issue 13. It is the authority on the ticket: whether
// the code exists, which parents it took, open / finalized / cancelled. Whether a parent can be returned is
// decided by the parent's own ParentSession (returnToTicket: on a bill, not returned already), which frees it
// for a new bill at once; the bill it came off is then told (parentReturned, retried until it lands) and keeps
// a returned line. Every change is in this object's SQLite before the answer leaves, queued in an outbox and
// flushed to Postgres from an alarm with backoff (flusher.ts). Rules: return-logic.ts; this file is the shell.
import { DurableObject } from 'cloudflare:workers';
import { AppError, type ErrorBody } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { NewReturn, ReturnScanOutcome, ReturnStatus, ReturnTicketView } from '../../shared/returns';
import type { SessionUser } from '../../shared/types';
import type { AuditMeta } from '../../db/audit';
import { scopedEventId } from '../../db/event-ids';
import type { ReturnEventKind, ReturnFlushEvent } from '../../db/return-flush';
import { loadReturnTicket, type StoredReturnTicket } from '../../db/returns';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { AlarmScheduler } from '../alarm-scheduler';
import { answerLimits, ScanAnswers } from '../kit/scan-answers';
import type { ParentReturn } from '../parent/parent-logic';
import { fail, ok, type RpcResult } from '../rpc';
import { ReturnFlusher } from './flusher';
import { applyClose, applyScan, decideClose, decideScan, newTicketState, scanOutcome, toTicketView, type TicketParent, type TicketState } from './return-logic';
import { billFor, parentFor, returnFor } from '../stubs';
import { ReturnStorage, type BillCall, type TakeInFlight } from './storage';

export interface ReturnActor {
  user: SessionUser;
  audit: AuditMeta;
}

const RETRY_MS = 1000;

export class ReturnTicket extends DurableObject<Env> {
  private readonly store: ReturnStorage;
  private readonly alarms: AlarmScheduler;
  private readonly flusher: ReturnFlusher;
  private state: TicketState | null = null;
  /** The first answer per scanId (pruned by age and count, like parents' and bills'). */
  private readonly answers: ScanAnswers;
  private loading: Promise<RpcResult<TicketState>> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ReturnStorage(ctx.storage.sql);
    this.alarms = new AlarmScheduler(ctx.storage);
    this.flusher = new ReturnFlusher(env, this.store);
    this.answers = new ScanAnswers(ctx.storage.sql, () => answerLimits(settings(env)));
    void ctx.blockConcurrencyWhile(async () => {
      this.state = this.store.loadState();
      this.answers.load();
      await this.alarms.load();
      if (!this.alarms.pending && this.hasWork()) this.alarms.soon(0);
    });
  }

  // ---------------------------------------------------------------- RPC

  /** Creates the ticket: the first caller for a code wins, any later one gets CONFLICT (the Worker picks another). */
  async create(input: NewReturn, actor: ReturnActor): Promise<RpcResult<ReturnTicketView>> {
    if (!this.state) {
      const loaded = await this.ensureLoaded(input.code);
      if (!loaded.ok && loaded.error.code !== 'NOT_FOUND') return fail(loaded.error);
    }
    if (this.state) return fail(new AppError('CONFLICT', `Return ticket ${input.code} already exists.`, { ticketCode: input.code }));
    const now = Date.now();
    const state = newTicketState(input, actor.user, now);
    this.state = state;
    this.store.saveMeta(state);
    this.enqueue('create', actor, newId('return-create'), null, null, { areaId: input.areaId, notes: input.notes, status: 'open' }, now);
    this.alarms.soon(this.flusher.delayMs());
    return ok(toTicketView(state));
  }

  async get(code: string): Promise<RpcResult<ReturnTicketView>> {
    const loaded = await this.ensureLoaded(code);
    return loaded.ok ? ok(toTicketView(loaded.value)) : loaded;
  }

  /** The ticket's status, for another ticket telling "on another open ticket" from "already returned". */
  async status(): Promise<ReturnStatus | null> {
    return this.state?.status ?? null;
  }

  async scanParent(code: string, rawQr: string, actor: ReturnActor, scanId?: string): Promise<RpcResult<ReturnScanOutcome>> {
    const loaded = await this.ensureLoaded(code);
    if (!loaded.ok) return loaded;
    const id = scanId ?? newId('return-scan');
    return this.once(id, () => this.scanOnce(loaded.value, rawQr, actor, id));
  }

  async finalize(code: string, actor: ReturnActor): Promise<RpcResult<ReturnTicketView>> {
    return this.close(code, 'finalized', actor);
  }

  /** Cancelling does not put parents back on their bills: each was returned when it was scanned. */
  async cancel(code: string, actor: ReturnActor): Promise<RpcResult<ReturnTicketView>> {
    return this.close(code, 'cancelled', actor);
  }

  private async close(code: string, to: 'finalized' | 'cancelled', actor: ReturnActor): Promise<RpcResult<ReturnTicketView>> {
    const loaded = await this.ensureLoaded(code);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const decision = decideClose(state, to);
    if (decision === 'noop') return ok(toTicketView(state));
    if (decision) return fail(decision);
    const now = Date.now();
    const before = { status: state.status, parents: [...state.parents.keys()] };
    applyClose(state, to, actor.user, now);
    this.store.saveMeta(state);
    this.enqueue(to === 'finalized' ? 'finalize' : 'cancel', actor, newId(`return-${to}`), null, before, { status: state.status, parents: [...state.parents.keys()] }, now);
    this.alarms.soon(this.flusher.delayMs());
    return ok(toTicketView(state));
  }

  // ---------------------------------------------------------------- scanning a parent

  private once<T>(id: string, run: () => Promise<RpcResult<T>>): Promise<RpcResult<T>> {
    return this.answers.once(id, run);
  }

  private remember<T>(id: string, answer: RpcResult<T>): RpcResult<T> {
    return this.answers.remember(id, answer);
  }

  private async scanOnce(state: TicketState, rawQr: string, actor: ReturnActor, scanId: string): Promise<RpcResult<ReturnScanOutcome>> {
    const decision = decideScan(state, rawQr);
    if (decision.kind === 'reject') return this.remember(scanId, fail(decision.error));
    if (decision.kind === 'duplicate') return this.remember(scanId, ok(scanOutcome(state, 'duplicate', decision.qr)));
    const qr = decision.qr;
    // Durable before the call goes out (output gate): if this object dies before recording the answer, the
    // alarm asks the parent whether it was returned here and records it (recoverTakes).
    this.store.markTakeInFlight({ qr, scanId, user: actor.user, audit: actor.audit });
    let answer: RpcResult<ParentReturn & { qr: string; areaId: number }>;
    try {
      answer = (await this.parent(qr).returnToTicket(qr, state.code)) as RpcResult<ParentReturn & { qr: string; areaId: number }>;
    } catch (err) {
      console.error('parent return failed', state.code, qr, err);
      this.alarms.soon(RETRY_MS);
      return fail(new AppError('UNAVAILABLE', `Parent ${qr} did not answer; scan it again.`));
    }
    this.store.clearTakeInFlight(qr);
    if (!answer.ok) {
      if (answer.error.code === 'UNAVAILABLE') return fail(answer.error);
      return this.remember(scanId, fail(await this.explainRefusal(state, answer.error)));
    }
    // The input gate opened while the parent answered: a concurrent scan of the same parent may have recorded it.
    if (state.parents.has(qr)) return this.remember(scanId, ok(scanOutcome(state, 'duplicate', qr)));
    // Recorded even if the ticket was closed meanwhile: the parent is off its bill, so the ticket must list it.
    const answerBody = this.record(state, answer.value, actor, scanId);
    await this.runBillCalls([qr]);
    return answerBody;
  }

  /** "Already returned" on a ticket that is still open reads as "on another open ticket". */
  private async explainRefusal(state: TicketState, error: ErrorBody): Promise<AppError | ErrorBody> {
    if (error.code !== 'PARENT_ALREADY_RETURNED' || typeof error.ticketCode !== 'string' || error.ticketCode === state.code) return error;
    const other = error.ticketCode;
    let status: ReturnStatus | null = null;
    try {
      status = await returnFor(this.env, other).status();
    } catch (err) {
      console.warn('other ticket unreachable', other, err);
    }
    if (status !== 'open') return error;
    return new AppError('PARENT_ON_OTHER_TICKET', `Parent ${String(error.parentQr)} is on open return ticket ${other}.`, {
      parentQr: error.parentQr,
      ticketCode: other,
      billNo: error.billNo,
    });
  }

  private record(state: TicketState, facts: ParentReturn & { qr: string; areaId: number }, actor: ReturnActor, scanId: string): RpcResult<ReturnScanOutcome> {
    const parent: TicketParent = {
      qr: facts.qr,
      billNo: facts.billNo,
      billFinalized: facts.billFinalized,
      childCount: facts.childCount,
      areaId: facts.areaId,
      returnedAt: facts.at,
      byId: actor.user.id,
      byName: actor.user.username,
    };
    applyScan(state, parent);
    this.store.saveParent(parent);
    this.enqueue(
      'scan',
      actor,
      scopedEventId(state.code, scanId),
      parent,
      null,
      { parentQr: parent.qr, billNo: parent.billNo, billFinalized: parent.billFinalized, childCount: parent.childCount },
      facts.at,
    );
    this.store.addBillCall({ qr: parent.qr, billNo: parent.billNo, childCount: parent.childCount, at: facts.at, billVersion: facts.billVersion, user: actor.user, audit: actor.audit });
    this.alarms.soon(this.flusher.delayMs());
    return this.remember(scanId, ok(scanOutcome(state, 'returned', parent.qr)));
  }

  private parent(qr: string) {
    return parentFor(this.env, qr);
  }

  // ---------------------------------------------------------------- loading

  private async ensureLoaded(code: string): Promise<RpcResult<TicketState>> {
    if (this.state) return ok(this.state);
    this.loading ??= this.loadFromPostgres(code).finally(() => (this.loading = null));
    return this.loading;
  }

  private async loadFromPostgres(code: string): Promise<RpcResult<TicketState>> {
    let stored: StoredReturnTicket | null;
    try {
      stored = await withDb(settings(this.env), (db) => loadReturnTicket(db, code));
    } catch (err) {
      console.error('cannot load return ticket from Postgres', code, err);
      return fail(new AppError('UNAVAILABLE', `Return ticket ${code} cannot be looked up right now; try again shortly.`));
    }
    if (this.state) return ok(this.state);
    if (!stored) return fail(new AppError('NOT_FOUND', `Return ticket ${code} does not exist.`, { ticketCode: code }));
    const state: TicketState = {
      code: stored.code,
      areaId: stored.areaId ?? 0,
      notes: stored.notes,
      status: stored.status,
      createdAt: Date.parse(stored.createdAt),
      createdById: stored.createdById ?? 0,
      createdByName: stored.createdByName ?? 'unknown',
      closedAt: stored.closedAt === null ? null : Date.parse(stored.closedAt),
      closedById: stored.closedById,
      closedByName: stored.closedByName,
      parents: new Map(
        stored.parents.map((p) => [
          p.qr,
          { qr: p.qr, billNo: p.billNo, billFinalized: p.billFinalized, childCount: p.childCount, areaId: p.areaId, returnedAt: Date.parse(p.returnedAt), byId: p.byId ?? 0, byName: p.byName ?? 'unknown' },
        ]),
      ),
    };
    this.state = state;
    this.store.saveMeta(state);
    for (const p of state.parents.values()) this.store.saveParent(p);
    return ok(state);
  }

  // ---------------------------------------------------------------- bills, crash repair and the flush

  /** Tells bills that parents were returned from them; a call stays stored until its bill answers. */
  private async runBillCalls(only?: string[]): Promise<void> {
    const state = this.state;
    if (!state) return;
    const wanted = only ? new Set(only) : null;
    let failed = false;
    await Promise.all(
      this.store
        .billCalls()
        .filter((c) => !wanted || wanted.has(c.qr))
        .map(async (call: BillCall) => {
          try {
            const answer = (await billFor(this.env, call.billNo).parentReturned(
              call.billNo,
              { qr: call.qr, ticketCode: state.code, at: call.at, childCount: call.childCount, byId: call.user.id, byName: call.user.username, billVersion: call.billVersion },
              { user: call.user, audit: call.audit },
            )) as RpcResult<unknown>;
            if (!answer.ok && answer.error.code === 'UNAVAILABLE') throw new Error(answer.error.message);
            if (!answer.ok) console.warn(`return ${state.code}: bill ${call.billNo} refused the return of ${call.qr}`, answer.error);
            this.store.removeBillCall(call.qr);
          } catch (err) {
            failed = true;
            console.error(`return ${state.code}: telling bill ${call.billNo} about ${call.qr} failed; will retry`, err);
          }
        }),
    );
    if (failed) this.alarms.soon(RETRY_MS);
  }

  /** Takes whose answer was never recorded: the parent says whether it was returned here. */
  private async recoverTakes(): Promise<void> {
    const state = this.state;
    if (!state) return;
    for (const take of this.store.takesInFlight() as TakeInFlight[]) {
      if (this.answers.running(take.scanId)) continue; // still being answered
      try {
        const returned = await this.parent(take.qr).returnInfo();
        this.store.clearTakeInFlight(take.qr);
        if (returned?.ticketCode === state.code && !state.parents.has(take.qr)) {
          this.record(state, { ...returned, qr: take.qr }, { user: take.user, audit: take.audit }, take.scanId);
        }
      } catch (err) {
        console.error(`return ${state.code}: cannot ask ${take.qr} about its return; will retry`, err);
        this.alarms.soon(RETRY_MS);
      }
    }
  }

  private enqueue(kind: ReturnEventKind, actor: ReturnActor, eventId: string, parent: TicketParent | null, before: unknown, after: unknown, at: number): void {
    const state = this.state as TicketState;
    const event: ReturnFlushEvent = {
      eventId,
      kind,
      code: state.code,
      at: new Date(at).toISOString(),
      parent: parent ? { qr: parent.qr, billNo: parent.billNo, billFinalized: parent.billFinalized, childCount: parent.childCount, byId: parent.byId } : null,
      actor: actor.audit,
      before,
      after,
    };
    this.store.enqueue(event);
  }

  private hasWork(): boolean {
    return this.store.outboxSize() > 0 || this.store.billCalls().length > 0 || this.store.takesInFlight().length > 0;
  }

  override async alarm(): Promise<void> {
    this.alarms.fired();
    await this.recoverTakes();
    await this.runBillCalls();
    const flushed = this.state ? await this.flusher.run(this.state) : true;
    if (flushed) this.alarms.recovered();
    if (this.alarms.pending) return;
    if (!flushed) this.alarms.backoff(this.flusher.failures);
    else if (this.store.billCalls().length > 0 || this.store.takesInFlight().length > 0) this.alarms.soon(RETRY_MS);
  }
}
