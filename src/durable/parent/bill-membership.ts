// Which bill a parent is on, decided by the parent itself (one bill per parent, exactly once): each call is
// synchronous after loading, so the object's input gate orders concurrent claims from two bills. The
// calling BillSession passes its version; older calls than one applied are ignored (see parent-logic.ts),
// so retried releases and finalize syncs cannot undo newer decisions. Return tickets take parents off bills
// through here too (issue 13).
import { AppError } from '../../shared/errors';
import { fail, ok, type RpcResult } from '../rpc';
import {
  applyClaimBill,
  applyReleaseBill,
  applyReturn,
  applySyncBill,
  decideClaimBill,
  decideReturn,
  type ParentReturn,
  type ParentState,
} from './parent-logic';
import { knownParent } from './rehydrate';
import { billLink, type BillLink } from './types';

/** What the membership needs of its object. */
export interface MembershipHost {
  env: Env;
  state(): ParentState | null;
  /** Takes over a state re-derived from Postgres (stored, snapshot queued). */
  adopt(state: ParentState): void;
  /** The bill membership changed: store the header; scanners see at once that it is frozen (or free again). */
  changed(state: ParentState): void;
}

export class BillMembership {
  constructor(private readonly host: MembershipHost) {}

  /** Whether bill `billNo` could take this parent, without changing anything (a bill's dry run). */
  async preview(qr: string, billNo: string): Promise<RpcResult<BillLink>> {
    let state = this.host.state();
    if (!state) {
      const known = await knownParent(this.host.env, qr);
      if (!known.ok) return known;
      state = this.host.state() ?? known.value;
    }
    const denied = decideClaimBill(state, billNo);
    return denied ? fail(denied) : ok(billLink(state));
  }

  /** Puts this parent on `billNo` unless another bill has it; answers with its child count. */
  async claim(qr: string, billNo: string, version: number): Promise<RpcResult<BillLink>> {
    const loaded = await this.load(qr);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const denied = decideClaimBill(state, billNo);
    if (denied) return fail(denied);
    if (applyClaimBill(state, billNo, version)) this.host.changed(state);
    if (state.billNo !== billNo) return fail(new AppError('CONFLICT', `A newer call of bill ${billNo} released ${state.qr}; try again.`));
    return ok(billLink(state));
  }

  /** Takes this parent off `billNo` (no-op when another bill, or a newer call, has it). */
  async release(qr: string, billNo: string, version: number): Promise<RpcResult<BillLink | null>> {
    const state = await this.stateForCall(qr);
    if (!state.ok || !state.value) return state as RpcResult<null>;
    if (applyReleaseBill(state.value, billNo, version)) this.host.changed(state.value);
    return ok(billLink(state.value));
  }

  /** Freezes (finalized) or thaws the parent for the bill that holds it; answers its child count. */
  async sync(qr: string, billNo: string, finalized: boolean, version: number): Promise<RpcResult<BillLink | null>> {
    const state = await this.stateForCall(qr);
    if (!state.ok || !state.value) return state as RpcResult<null>;
    if (applySyncBill(state.value, billNo, finalized, version)) this.host.changed(state.value);
    return ok(billLink(state.value));
  }

  /**
   * A return ticket takes this parent off its bill. Decided here, like a bill claim: the parent is free for a
   * new bill as soon as this answers; the ticket then tells the bill (retried until it lands). Repeating the
   * call for the same ticket answers the same facts (the ticket retries after a crash).
   */
  async returnTo(qr: string, ticketCode: string): Promise<RpcResult<ParentReturn & { qr: string; areaId: number }>> {
    const loaded = await this.load(qr);
    if (!loaded.ok) return loaded;
    const state = loaded.value;
    const decision = decideReturn(state, ticketCode);
    if (decision.kind === 'reject') return fail(decision.error);
    if (decision.kind === 'again') return ok({ ...decision.returned, qr: state.qr, areaId: state.areaId });
    const returned = applyReturn(state, ticketCode, Date.now());
    this.host.changed(state);
    return ok({ ...returned, qr: state.qr, areaId: state.areaId });
  }

  /** The return that last took this parent off a bill, while it is on no bill again (a ticket's crash repair). */
  returnInfo(): (ParentReturn & { areaId: number }) | null {
    const state = this.host.state();
    return state && state.billNo === null && state.returned ? { ...state.returned, areaId: state.areaId } : null;
  }

  /** The live child count a bill shows for this parent. */
  info(): BillLink | null {
    const state = this.host.state();
    return state ? billLink(state) : null;
  }

  /**
   * A release or freeze for a parent whose object has no state (known only to Postgres, e.g. on an imported
   * bill) loads it first: otherwise it would later be re-derived from Postgres with a bill membership the
   * call should have changed. A parent that exists nowhere has nothing to change (null).
   */
  private async stateForCall(qr: string): Promise<RpcResult<ParentState | null>> {
    const loaded = await this.load(qr);
    if (loaded.ok) return loaded;
    return loaded.error.code === 'PARENT_NOT_FOUND' ? ok(null) : loaded;
  }

  /** The state, re-derived from Postgres (and adopted) when the object has none; PARENT_NOT_FOUND if none exists. */
  async load(qr: string): Promise<RpcResult<ParentState>> {
    const current = this.host.state();
    if (current) return ok(current);
    const known = await knownParent(this.host.env, qr);
    const opened = this.host.state(); // opened by someone else while we awaited
    if (opened) return ok(opened);
    if (!known.ok) return known;
    this.host.adopt(known.value);
    return ok(known.value);
  }
}
