// An admin deletes an empty parent that nothing depends on (issue 10 point 4), so a label squatted by
// mistake or malice can be opened again, by anyone, in any area. The order keeps Postgres and the objects
// from disagreeing if the object dies half-way:
//   1. the object checks what it knows (no child now or ever, no scan, no bill or return, nothing unflushed),
//      then stores a deletion mark: from here it refuses every command, scan and bill call;
//   2. no flush shard may still hold a row naming the parent (a snapshot or a late scan would write it back);
//   3. Postgres checks its record and deletes the bag row with its `parent.delete` audit row, one statement;
//   4. the registry forgets the label, the opener's EmptyParentLedger stops counting it, the object forgets
//      its state (a reopen starts a new parent) and closes its sockets.
// Steps 3 and 4 are idempotent (the audit row's event id names the label's life): an object that finds its
// mark when it starts again finishes the deletion from step 3 (alarm), and a refusal in 2 or 3 removes it.
import { AppError } from '../../shared/errors';
import type { SessionUser } from '../../shared/types';
import { CLOSE_CODES } from '../../shared/close-codes';
import { settings } from '../../config/settings';
import { deleteEmptyParent, type DeletedParent } from '../../db/parents';
import { withDb } from '../../db/with-db.workerd';
import { fail, ok, type RpcResult } from '../rpc';
import { allFlushQueues, emptyParentLedgerFor, registryFor } from '../stubs';
import type { ScanAnswers } from '../kit/scan-answers';
import { neverOpened, type ParentState } from './parent-logic';
import { knownParent } from './rehydrate';
import type { DeletionMark, ParentStorage } from './storage';
import { errorFields, log } from '../../observability/log';

/** The alarm lane that finishes a deletion interrupted half-way. */
export const DELETE_LANE = 'delete';

export interface DeletedParentView {
  deleted: string;
  areaId: number;
}

export interface DeletionHost {
  env: Env;
  ctx: DurableObjectState;
  store: ParentStorage;
  answers: ScanAnswers;
  state(): ParentState | null;
  /** Drops the in-memory state (after storage forgot it). */
  forget(): void;
  /** Asks the object's alarm to call resume() soon. */
  retrySoon(): void;
}

function inUse(qr: string, reason: 'children' | 'history' | 'bill' | 'pending', message: string): AppError {
  return new AppError('PARENT_IN_USE', `Parent ${qr} cannot be deleted: ${message}`, { parentQr: qr, reason });
}

/** Step 1: what the object itself knows; null when it may go on. */
export function refusalHere(state: ParentState, store: ParentStorage): AppError | null {
  if (state.children.size > 0) return inUse(state.qr, 'children', `it holds ${state.children.size} child bag(s).`);
  if (state.billNo !== null || state.returned || state.billVersion > 0) return inUse(state.qr, 'bill', 'it is or was on a bill.');
  if (store.hasHistory()) return inUse(state.qr, 'history', 'bags were scanned into it (its scan history stays).');
  if (store.outboxSize() > 0 || store.pendingReleases().length > 0) {
    return inUse(state.qr, 'pending', 'its latest changes are still being written; try again in a few seconds.');
  }
  return null;
}

function fromPostgres(qr: string, found: DeletedParent): AppError | null {
  if (found.notEmpty) return inUse(qr, 'children', 'Postgres records child bags in it.');
  if (found.billed) return inUse(qr, 'bill', 'Postgres records it on a bill or a return.');
  if (found.history) return inUse(qr, 'history', 'Postgres records scans or links into it (its history stays).');
  return null;
}

export class ParentDeletion {
  /** The stored mark, mirrored in memory: the scan path asks on every scan. */
  private marked: boolean;

  constructor(private readonly host: DeletionHost) {
    this.marked = host.store.deletionMark() !== null;
  }

  /** True while a deletion is marked: every command, scan and bill call is refused. */
  get pending(): boolean {
    return this.marked;
  }

  private mark(mark: DeletionMark): void {
    this.host.store.markDeleting(mark);
    this.marked = true;
  }

  private unmark(): void {
    this.host.store.clearDeleting();
    this.marked = false;
  }

  refusal(qr: string): AppError {
    return new AppError('PARENT_IN_USE', `Parent ${qr} is being deleted.`, { parentQr: qr, reason: 'pending' });
  }

  /** The refusal every command, scan and bill call answers while a deletion is marked; null otherwise. */
  blocked(qr: string): RpcResult<never> | null {
    return this.marked ? fail(this.refusal(qr)) : null;
  }

  /**
   * The RPC: a parent this object has no state for but the registry and Postgres know is checked as
   * Postgres has it (not adopted: adopting would queue a snapshot).
   */
  async deleteEmpty(user: SessionUser, qr: string, meta: { requestId?: string | null }): Promise<RpcResult<DeletedParentView>> {
    let state = this.host.state();
    if (!state) {
      const known = await knownParent(this.host.env, qr);
      if (!known.ok) return known.error.code === 'PARENT_NOT_FOUND' ? fail(neverOpened()) : known;
      state = this.host.state() ?? known.value;
    }
    return this.run(state, user, meta);
  }

  /**
   * `state`: the object's own, or (for a parent known only to Postgres and the registry) one derived from
   * Postgres and not adopted, so nothing is queued for a flush on the way.
   */
  async run(state: ParentState, user: SessionUser, meta: { requestId?: string | null }): Promise<RpcResult<DeletedParentView>> {
    if (user.role !== 'admin') return fail(new AppError('FORBIDDEN', 'Only an admin can delete a parent bag.'));
    const refused = this.marked ? null : refusalHere(state, this.host.store);
    if (refused) return fail(refused);
    this.mark({ byId: user.id, byName: user.username, requestId: meta.requestId ?? null, at: Date.now() });
    const queued = await this.queuedRows(state.qr).catch((err: unknown) => err);
    if (queued !== 0) {
      this.unmark();
      if (typeof queued === 'number') return fail(inUse(state.qr, 'pending', 'its latest changes are still being written; try again in a few seconds.'));
      log.error('parent delete: flush queues not readable', { object: 'ParentSession', parentQr: state.qr, ...errorFields(queued) });
      return fail(new AppError('UNAVAILABLE', 'The flush queues did not answer; try again shortly.'));
    }
    return this.finish(state);
  }

  /** A mark found when the object started: finish that deletion (or, with no state to finish, drop the mark). */
  async resume(): Promise<void> {
    if (!this.marked) return;
    const state = this.host.state();
    if (!state) return this.unmark();
    const done = await this.finish(state);
    if (!done.ok) log.warn('parent delete: resumed deletion refused', { object: 'ParentSession', parentQr: state.qr, code: done.error.code });
  }

  /** Steps 3 and 4. */
  private async finish(state: ParentState): Promise<RpcResult<DeletedParentView>> {
    const mark = this.host.store.deletionMark() as DeletionMark;
    let found: DeletedParent;
    try {
      found = await withDb(settings(this.host.env), (db) =>
        deleteEmptyParent(
          db,
          state.qr,
          { areaId: state.areaId, createdBy: state.createdById, createdAt: new Date(state.createdAt).toISOString() },
          { actorId: mark.byId, actorUsername: mark.byName, requestId: mark.requestId },
        ),
      );
    } catch (err) {
      this.unmark();
      log.error('parent delete: Postgres failed', { object: 'ParentSession', parentQr: state.qr, ...errorFields(err) });
      return fail(new AppError('UNAVAILABLE', `Parent ${state.qr} could not be deleted right now; try again shortly.`));
    }
    const refused = fromPostgres(state.qr, found);
    if (refused) {
      this.unmark();
      return fail(refused);
    }
    try {
      await registryFor(this.host.env, state.qr).forgetParent(state.qr);
      await emptyParentLedgerFor(this.host.env, state.createdById).forget(state.qr);
    } catch (err) {
      // Postgres has deleted it: keep the mark (everything stays refused) and finish from the alarm.
      log.error('parent delete: registry or ledger failed; retrying', { object: 'ParentSession', parentQr: state.qr, ...errorFields(err) });
      this.host.retrySoon();
      return fail(new AppError('UNAVAILABLE', `Parent ${state.qr} is deleted in Postgres; its label is freed within seconds.`));
    }
    // One synchronous group: the state, its stored answers and the mark go together.
    this.host.store.forgetAll();
    this.host.answers.forgetAll();
    this.marked = false;
    this.host.forget();
    for (const ws of this.host.ctx.getWebSockets()) {
      try {
        ws.close(CLOSE_CODES.FORBIDDEN, 'parent deleted');
      } catch {
        // already closing
      }
    }
    log.info('parent deleted', { object: 'ParentSession', parentQr: state.qr, userId: mark.byId, requestId: mark.requestId, inPostgres: found.deleted });
    return ok({ deleted: state.qr, areaId: state.areaId });
  }

  /** Rows naming the parent in any flush shard, draining ones of FLUSH_SHARDS_PREVIOUS included (step 2). */
  private async queuedRows(qr: string): Promise<number> {
    const shards = allFlushQueues(this.host.env).map((r) => r.stub.mentions(qr));
    return (await Promise.all(shards)).reduce((a, b) => a + b, 0);
  }
}
