// What the ParentSession answers over RPC: the Worker, bills and return tickets import these types, never
// the object class itself (its module pulls in cloudflare:workers).
import type { RpcResult } from '../rpc';
import type { ParentState } from './parent-logic';

export interface ScanOutcome {
  result: 'linked' | 'duplicate';
  childQr: string;
  childCount: number;
  capacity: number;
  status: ParentState['status'];
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
  status: ParentState['status'];
}

/** What a bill learns from a parent: whether it is (still) on the bill, frozen, and how many children. */
export interface BillLink {
  qr: string;
  billNo: string | null;
  billFinalized: boolean;
  childCount: number;
  /** The parent's own state, capacity and area, so a bill can say which of its parents are not complete. */
  status: ParentState['status'];
  capacity: number;
  areaId: number;
  /** This object's clock when it answered: a claim's time orders a parent's moves between bills in Postgres. */
  at: number;
}

/** What the Worker passes along with a command: the HTTP request's id (log lines, audit rows). */
export interface CallMeta {
  requestId?: string | null;
}

export function billLink(state: ParentState): BillLink {
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
