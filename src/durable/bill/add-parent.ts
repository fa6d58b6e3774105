// Adding a parent to a bill: the bill decides capacity and finality, the parent decides whether it is free
// (ParentSession.claimBill), and the intent is stored before the claim goes out so a crash cannot leave a
// parent claimed by a bill that does not list it. Also the dry run of a spreadsheet import (preview).
import { AppError } from '../../shared/errors';
import type { BillEventKind } from '../../db/bill-flush';
import type { ScanAnswers } from '../kit/scan-answers';
import type { BillLink, PreviewAnswer } from '../parent/types';
import { fail, ok, type RpcResult } from '../rpc';
import { parentFor } from '../stubs';
import { applyAdd, decideAdd, returnedSince, type BillEvent, type BillParent, type BillState } from './bill-logic';
import { addOutcome, auditState, type AddOutcome, type BillActor } from './messages';
import { factsOf, type ParentCalls } from './parent-calls';
import type { BillStorage } from './storage';
import { errorFields, log } from '../../observability/log';

export interface AddHost {
  env: Env;
  ctx: DurableObjectState;
  store: BillStorage;
  answers: ScanAnswers;
  calls: ParentCalls;
  retrySoon(): void;
  enqueue(kind: BillEventKind, actor: BillActor, parentQr: string | null, addedAt: number | null, audit: unknown, now: number): void;
  afterChange(event: BillEvent): void;
}

export class AddPath {
  constructor(private readonly host: AddHost) {}

  /**
   * What adding these parents would answer, one by one, without changing anything (a spreadsheet import's
   * dry run): decideAdd on a copy of the bill (capacity counted across the list), and each parent that
   * would be claimed is asked, read-only, whether it is free (previewBill).
   */
  async preview(state: BillState, rawQrs: string[]): Promise<PreviewAnswer[]> {
    const sim: BillState = { ...state, parents: new Map(state.parents) };
    const answers: PreviewAnswer[] = [];
    for (const raw of rawQrs) {
      const decision = decideAdd(sim, raw);
      if (decision.kind === 'duplicate') answers.push({ outcome: 'already' });
      else if (decision.kind === 'reject') answers.push({ outcome: 'conflict', code: decision.error.code, message: decision.error.message });
      else {
        const link = (await parentFor(this.host.env, decision.qr).previewBill(decision.qr, sim.billNo)) as RpcResult<BillLink>;
        if (!link.ok) answers.push({ outcome: 'conflict', code: link.error.code, message: link.error.message });
        else {
          sim.parents.set(decision.qr, { qr: decision.qr, addedAt: Date.now(), byId: 0, byName: '', childCount: link.value.childCount });
          answers.push({ outcome: 'would_add' });
        }
      }
    }
    return answers;
  }

  private remember<T>(id: string, answer: RpcResult<T>): RpcResult<T> {
    return this.host.answers.remember(id, answer);
  }

  async addOnce(state: BillState, rawQr: string, actor: BillActor, scanId: string): Promise<RpcResult<AddOutcome>> {
    let decision = decideAdd(state, rawQr);
    if (decision.kind === 'reject') return this.remember(scanId, fail(decision.error));
    if (decision.kind === 'duplicate') return this.remember(scanId, ok(addOutcome(state, 'duplicate', decision.qr)));
    const qr = decision.qr;
    // The intent is durable before the claim goes out (the output gate holds outgoing calls until then):
    // if this object dies before recording the outcome, the constructor releases the parent again.
    state.version++;
    const claimVersion = state.version;
    this.host.store.saveMeta(state);
    this.host.store.markClaimInFlight(qr, claimVersion);
    let link: RpcResult<BillLink>;
    try {
      link = (await parentFor(this.host.env, qr).claimBill(qr, state.billNo, claimVersion)) as RpcResult<BillLink>;
    } catch (err) {
      // Unknown whether the claim landed: release it (a no-op if it did not) and let the client retry.
      log.error('parent claim failed', { object: 'BillSession', billNo: state.billNo, parentQr: qr, ...errorFields(err) });
      this.host.store.clearClaimInFlight(qr);
      this.host.store.addParentCall({ qr, kind: 'release', version: claimVersion });
      this.host.retrySoon();
      return fail(new AppError('UNAVAILABLE', `Parent ${qr} did not answer; scan it again.`));
    }
    this.host.store.clearClaimInFlight(qr);
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
    if (decision.kind === 'duplicate') return this.remember(scanId, ok(addOutcome(state, 'duplicate', qr)));
    if (decision.kind === 'reject') {
      // Filled or finalized meanwhile: give the parent back (retried until it lands).
      if (!state.parents.has(qr)) {
        this.host.store.addParentCall({ qr, kind: 'release', version: state.version });
        this.host.ctx.waitUntil(this.host.calls.run([qr]));
      }
      return this.remember(scanId, fail(decision.error));
    }
    const now = Date.now();
    const before = auditState(state);
    const event = applyAdd(state, qr, actor.user, factsOf(link.value), now);
    this.host.store.saveParent(state.parents.get(qr) as BillParent);
    this.host.store.saveMeta(state);
    this.host.enqueue('add', actor, qr, link.value.at, { before, after: auditState(state) }, now);
    const answer = this.remember(scanId, ok(addOutcome(state, 'added', qr)));
    this.host.afterChange(event);
    return answer;
  }
}
