// The bill's calls to its parents: release / freeze / thaw calls stored until a parent answers (versions make
// a late or repeated call harmless), and the live child counts an open bill reads from its parents.
import type { BillLink } from '../parent/types';
import type { RpcResult } from '../rpc';
import { parentFor } from '../stubs';
import { applyParentFacts, type BillState, type ParentFacts } from './bill-logic';
import type { BillStorage, ParentCall } from './storage';
import { errorFields, log } from '../../observability/log';

/** A parent's answer as the facts the bill keeps about it. */
export function factsOf(link: BillLink): ParentFacts {
  return { childCount: link.childCount, status: link.status, capacity: link.capacity, areaId: link.areaId };
}

export interface ParentCallsHost {
  env: Env;
  store: BillStorage;
  state(): BillState | null;
  /** Some call did not land: try again a little later. */
  retrySoon(): void;
}

export class ParentCalls {
  constructor(private readonly host: ParentCallsHost) {}

  /**
   * Sends pending release/freeze/thaw calls to parents (all, or only `only`). A call stays stored until a
   * parent answers. A freeze answer carries the parent's child count at the moment it froze: the final
   * count of a finalized bill.
   */
  async run(only?: string[]): Promise<void> {
    const state = this.host.state();
    if (!state) return;
    const { store } = this.host;
    const wanted = only ? new Set(only) : null;
    const calls = store.parentCalls().filter((c) => !wanted || wanted.has(c.qr));
    let failed = false;
    await Promise.all(
      calls.map(async (call: ParentCall) => {
        try {
          const stub = parentFor(this.host.env, call.qr);
          const answer = (
            call.kind === 'release'
              ? await stub.releaseBill(call.qr, state.billNo, call.version)
              : await stub.syncBill(call.qr, state.billNo, call.kind === 'freeze', call.version)
          ) as RpcResult<BillLink | null>;
          // UNAVAILABLE (the parent could not load from Postgres): keep the call for the next round.
          if (!answer.ok && answer.error.code === 'UNAVAILABLE') throw new Error(answer.error.message);
          store.removeParentCall(call.qr, call.version);
          const link = answer.ok ? answer.value : null;
          const parent = state.parents.get(call.qr);
          if (call.kind === 'freeze' && link && parent && state.finalized && link.billNo === state.billNo) {
            if (applyParentFacts(parent, factsOf(link))) store.saveParent(parent);
          }
        } catch (err) {
          failed = true;
          log.warn('alarm retry: parent call failed', { object: 'BillSession', billNo: state.billNo, call: call.kind, parentQr: call.qr, ...errorFields(err) });
        }
      }),
    );
    if (failed) this.host.retrySoon();
  }

  /**
   * Reads each parent's live child count (children can still be scanned into a parent until its bill is
   * finalized). Parents answer from memory, in parallel; one that cannot be reached keeps its last known
   * count and the view says `stale`. Returns whether any count is stale.
   */
  async refreshCounts(state: BillState): Promise<boolean> {
    const parents = [...state.parents.values()];
    if (parents.length === 0) return false;
    const answers = await Promise.allSettled(parents.map((p) => parentFor(this.host.env, p.qr).billInfo()));
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
      if (state.parents.get(p.qr) === p && applyParentFacts(p, factsOf(link))) this.host.store.saveParent(p);
    });
    return stale;
  }
}
