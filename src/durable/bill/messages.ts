// The BillSession's outgoing shapes: socket frames, scan answers, audit before/after and flush events. Pure.
import { newId } from '../../shared/ids';
import type { BillEventMessage, BillServerMessage } from '../../shared/protocol';
import type { BillView, ParentStatus, SessionUser } from '../../shared/types';
import type { AuditMeta } from '../../db/audit';
import type { BillEventKind, BillFlushEvent } from '../../db/bill-flush';
import { billStatus, billTotals, type BillEvent, type BillState } from './bill-logic';

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

export function addOutcome(state: BillState, result: AddOutcome['result'], parentQr: string): AddOutcome {
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

/** The frame every watcher of the bill gets after a change (none for the creation). */
export function eventMessage(state: BillState, event: BillEvent): BillEventMessage | null {
  if (event.type === 'created') return null;
  const totals = billTotals(state.parents.values(), state.weight);
  return {
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
}

/** A parent of the open bill reported a new child count. */
export function parentMessage(state: BillState, qr: string, childCount: number): BillServerMessage {
  const totals = billTotals(state.parents.values());
  return {
    type: 'parent',
    billNo: state.billNo,
    parentQr: qr,
    parentChildCount: childCount,
    parentCount: totals.parentCount,
    childCount: totals.childCount,
    status: billStatus(state),
    finalized: state.finalized,
  };
}

/** The part of the bill an audit row shows before and after a change. */
export function auditState(state: BillState): Record<string, unknown> {
  return { status: billStatus(state), finalized: state.finalized, parents: [...state.parents.keys()] };
}

export function weightAudit(state: BillState): Record<string, unknown> {
  const w = state.weight;
  return { actualWeightKg: w?.kg ?? null, weightSource: w?.source ?? null };
}

/** The outbox event of a change: `audit` is the created bill, or `{before, after}` of any other change. */
export function flushEvent(state: BillState, kind: BillEventKind, actor: AuditMeta, parentQr: string | null, addedAt: number | null, audit: unknown, now: number): BillFlushEvent {
  const { before, after } = kind === 'create' ? { before: null, after: audit } : (audit as { before: unknown; after: unknown });
  return {
    eventId: newId(`bill-${kind}`),
    kind,
    billNo: state.billNo,
    at: new Date(now).toISOString(),
    parentQr,
    addedAt: addedAt === null ? null : new Date(addedAt).toISOString(),
    actor,
    before,
    after: parentQr ? { ...(after as object), parentQr } : after,
  };
}
