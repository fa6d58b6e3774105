// The ParentSession's outgoing shapes: socket frames, the board summary. Pure, so the shell only sends.
import type { AckMessage, ServerMessage, UndoAckMessage } from '../../shared/protocol';
import type { SessionSummary } from '../../shared/types';
import { toParentView, type ChildEntry, type ParentEvent, type ParentState } from './parent-logic';
import type { RemovalOutcome, ScanAnswer } from './types';
import type { RpcResult } from '../rpc';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function stateMessage(state: ParentState): string {
  return JSON.stringify({ type: 'state', parent: toParentView(state) } satisfies ServerMessage);
}

export function eventMessage(state: ParentState, event: ParentEvent): ServerMessage {
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

export function ackMessage(scanId: string, answer: ScanAnswer, state: ParentState | null, serverMs: number): AckMessage & { serverMs: number } {
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

export function undoReply(scanId: string, answer: RpcResult<RemovalOutcome>, state: ParentState | null): UndoAckMessage {
  return answer.ok
    ? { type: 'undone', scanId, removed: answer.value.removed, childCount: answer.value.childCount }
    : { type: 'undone', scanId, removed: null, childCount: state?.children.size ?? 0, error: answer.error };
}

/** The tile the area's live board shows for this parent. */
export function summary(state: ParentState): SessionSummary {
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
