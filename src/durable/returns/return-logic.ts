// The rules of one return ticket, free of I/O so they can be tested without workerd. The ReturnTicket object
// keeps one live TicketState in memory, asks these functions what to do, persists and flushes.
// Whether a parent can be returned (is it on a bill, returned already) is the parent's own decision
// (ParentSession.returnToTicket); the ticket decides only what it alone knows: open, closed, a repeat.
import { AppError } from '../../shared/errors';
import { returnWeightKg, type NewReturn, type ReturnScanOutcome, type ReturnStatus, type ReturnTicketView } from '../../shared/returns';
import type { SessionUser } from '../../shared/types';
import { parseBillParentQr } from '../bill/bill-logic';
import { normalizeQr } from '../../shared/qr';

export interface TicketParent {
  qr: string;
  billNo: string;
  billFinalized: boolean;
  childCount: number;
  areaId: number | null;
  returnedAt: number;
  byId: number;
  byName: string;
}

export interface TicketState {
  code: string;
  areaId: number;
  notes: string | null;
  status: ReturnStatus;
  createdAt: number;
  createdById: number;
  createdByName: string;
  /** When and by whom it was finalized or cancelled. */
  closedAt: number | null;
  closedById: number | null;
  closedByName: string | null;
  /** Insertion-ordered: the order parents were scanned in. */
  parents: Map<string, TicketParent>;
}

export function newTicketState(input: NewReturn, user: SessionUser, now: number): TicketState {
  return {
    code: input.code,
    areaId: input.areaId,
    notes: input.notes,
    status: 'open',
    createdAt: now,
    createdById: user.id,
    createdByName: user.username,
    closedAt: null,
    closedById: null,
    closedByName: null,
    parents: new Map(),
  };
}

export type ScanDecision = { kind: 'duplicate'; qr: string } | { kind: 'reject'; qr: string; error: AppError } | { kind: 'take'; qr: string };

/** Run before asking the parent and again after it answered (the input gate opened meanwhile). */
export function decideScan(state: TicketState, rawQr: string): ScanDecision {
  const qr = parseBillParentQr(rawQr, 'return tickets');
  if (qr instanceof AppError) return { kind: 'reject', qr: normalizeQr(rawQr), error: qr };
  if (state.parents.has(qr)) return { kind: 'duplicate', qr };
  if (state.status !== 'open') return { kind: 'reject', qr, error: closedError(state) };
  return { kind: 'take', qr };
}

export function closedError(state: Pick<TicketState, 'code' | 'status'>): AppError {
  return new AppError('RETURN_CLOSED', `Return ticket ${state.code} is ${state.status}; it takes no more parents.`, { ticketCode: state.code, status: state.status });
}

export function applyScan(state: TicketState, parent: TicketParent): void {
  state.parents.set(parent.qr, parent);
}

export function ticketTotals(parents: Iterable<Pick<TicketParent, 'childCount'>>): { parentCount: number; childCount: number; weightKg: number } {
  let parentCount = 0;
  let childCount = 0;
  for (const p of parents) {
    parentCount++;
    childCount += p.childCount;
  }
  return { parentCount, childCount, weightKg: returnWeightKg(childCount) };
}

export function scanOutcome(state: TicketState, result: ReturnScanOutcome['result'], qr: string): ReturnScanOutcome {
  const p = state.parents.get(qr) as TicketParent;
  return { result, parentQr: qr, billNo: p.billNo, parentChildCount: p.childCount, ...ticketTotals(state.parents.values()) };
}

/**
 * Finalizing needs at least one parent; cancelling any open ticket is allowed (its parents stay off their
 * bills: a return happened when it was scanned). Repeating the same close is a no-op; the other one is refused.
 */
export function decideClose(state: TicketState, to: 'finalized' | 'cancelled'): AppError | 'noop' | null {
  if (state.status === to) return 'noop';
  if (state.status !== 'open') return closedError(state);
  if (to === 'finalized' && state.parents.size === 0) {
    return new AppError('CONFLICT', `Return ticket ${state.code} has no parents; scan some before finalizing it, or cancel it.`, { ticketCode: state.code });
  }
  return null;
}

export function applyClose(state: TicketState, to: 'finalized' | 'cancelled', user: SessionUser, now: number): void {
  state.status = to;
  state.closedAt = now;
  state.closedById = user.id;
  state.closedByName = user.username;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toTicketView(state: TicketState): ReturnTicketView {
  const closed = state.closedAt === null ? null : iso(state.closedAt);
  return {
    code: state.code,
    areaId: state.areaId,
    notes: state.notes,
    status: state.status,
    createdAt: iso(state.createdAt),
    createdBy: state.createdByName,
    finalizedAt: state.status === 'finalized' ? closed : null,
    finalizedBy: state.status === 'finalized' ? state.closedByName : null,
    cancelledAt: state.status === 'cancelled' ? closed : null,
    cancelledBy: state.status === 'cancelled' ? state.closedByName : null,
    ...ticketTotals(state.parents.values()),
    parents: [...state.parents.values()].map((p) => ({
      qr: p.qr,
      billNo: p.billNo,
      billFinalized: p.billFinalized,
      childCount: p.childCount,
      returnedAt: iso(p.returnedAt),
      by: p.byName,
    })),
  };
}
