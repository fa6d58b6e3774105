// The rules of one parent bag's scan session, free of I/O so they can be tested without workerd.
// The ParentSession object loads state, asks these functions what to do, persists and fans out.
// `apply*` functions mutate the state they are given (the object keeps one live copy in memory)
// and return the events to persist and broadcast.
import { mayAccessArea } from '../../shared/area-access';
import { AppError } from '../../shared/errors';
import { CHILD_FORMAT, isParentQr, isChildQr, normalizeQr } from '../../shared/qr';
import type { ChildView, ParentStatus, ParentView, SessionUser } from '../../shared/types';

export interface ChildEntry {
  qr: string;
  linkedAt: number; // epoch ms
  byId: number;
  byName: string;
  scanId: string;
}

export interface ParentState {
  qr: string;
  areaId: number;
  capacity: number;
  status: ParentStatus;
  createdById: number;
  createdAt: number;
  completedAt: number | null;
  /** Who completed it (the last scanner at capacity, or whoever completed it below); for the audit log. */
  completedById?: number | null;
  /** Insertion-ordered: the order children were linked in. */
  children: Map<string, ChildEntry>;
  billNo: string | null;
  billFinalized: boolean;
  /** The version of the last call of bill `billNo` applied here (see BillState.version). */
  billVersion: number;
  /**
   * Set when a return ticket took this parent off its bill (issue 13); cleared when a bill claims it again.
   * Absent in sessions stored before returns existed.
   */
  returned?: ParentReturn | null;
  /** Bumped on every change so Postgres keeps only the newest snapshot. */
  version: number;
}

/** The return that took this parent off `billNo`. */
export interface ParentReturn {
  ticketCode: string;
  at: number;
  billNo: string;
  billFinalized: boolean;
  /** The bill's version of its last call applied here: a bill compares it with its claim (see BillSession). */
  billVersion: number;
  childCount: number;
}

export type ParentEvent =
  | { type: 'linked'; child: ChildEntry }
  | { type: 'unlinked'; child: ChildEntry; byId: number; byName: string; at: number; reason: 'undo' | 'unlink' }
  | { type: 'completed'; byId: number; byName: string; at: number };

export function newSessionState(qr: string, areaId: number, capacity: number, user: SessionUser, now: number): ParentState {
  return {
    qr,
    areaId,
    capacity,
    status: 'open',
    createdById: user.id,
    createdAt: now,
    completedAt: null,
    children: new Map(),
    billNo: null,
    billFinalized: false,
    billVersion: 0,
    returned: null,
    version: 1,
  };
}

/** A session re-derived from Postgres (see db/parents.ts), for an object whose storage is empty. */
export function sessionFromStored(
  stored: {
    qr: string;
    areaId: number | null;
    status: ParentStatus;
    createdBy: number | null;
    createdAt: string;
    completedAt: string | null;
    version: number;
    children: Array<{ qr: string; linkedAt: string; byId: number | null; byName: string | null; eventId: string }>;
    bill?: { billNo: string; finalized: boolean } | null;
    returned?: { ticketCode: string; at: string; billNo: string; billFinalized: boolean; childCount: number } | null;
  },
  fallbackAreaId: number,
  capacity: number,
): ParentState {
  const children = new Map<string, ChildEntry>();
  for (const c of stored.children) {
    children.set(c.qr, { qr: c.qr, linkedAt: Date.parse(c.linkedAt), byId: c.byId ?? 0, byName: c.byName ?? 'unknown', scanId: c.eventId });
  }
  return {
    qr: stored.qr,
    areaId: stored.areaId ?? fallbackAreaId,
    capacity,
    status: stored.status,
    createdById: stored.createdBy ?? 0,
    createdAt: Date.parse(stored.createdAt),
    completedAt: stored.completedAt === null ? null : Date.parse(stored.completedAt),
    children,
    // A parent on a finalized bill in Postgres stays frozen when it is re-derived.
    billNo: stored.bill?.billNo ?? null,
    billFinalized: stored.bill?.finalized ?? false,
    billVersion: 0,
    // The last return, unless the parent went on a bill again since.
    returned:
      stored.bill || !stored.returned
        ? null
        : { ...stored.returned, at: Date.parse(stored.returned.at), billVersion: 0 },
    // Newer than what Postgres holds, so the next snapshot replaces it.
    version: stored.version + 1,
  };
}

/**
 * Dispatchers and supervisors work in their own area only; billers and admins everywhere. Commands on
 * another area's label (open, scan into, undo, complete) say AREA_FORBIDDEN, without naming the area: the
 * person holds that label and must learn it is not theirs to fill.
 */
export function checkArea(state: Pick<ParentState, 'areaId' | 'qr'>, user: SessionUser): AppError | null {
  if (mayAccessArea(user, state.areaId)) return null;
  return new AppError('AREA_FORBIDDEN', `Parent ${state.qr} belongs to another dispatch area.`);
}

export function neverOpened(): AppError {
  return new AppError('NOT_FOUND', 'Parent was never opened.');
}

/**
 * Reads (GET, a socket's state) show an area-bound caller another area's parent exactly like one never
 * opened, so reading cannot tell which labels other areas use (docs/SECURITY.md, "Area rule").
 */
export function checkAreaForRead(state: Pick<ParentState, 'areaId' | 'qr'>, user: SessionUser): AppError | null {
  return checkArea(state, user) ? neverOpened() : null;
}

export type ScanDecision =
  | { kind: 'duplicate'; childQr: string }
  | { kind: 'reject'; childQr: string; error: AppError }
  | { kind: 'claim'; childQr: string };

/**
 * What to do with a scanned child before any I/O. Run again after the registry claim returns:
 * other scans may have changed the state while the object waited.
 */
export function decideScan(state: ParentState, rawQr: string): ScanDecision {
  const childQr = normalizeQr(rawQr);
  if (isParentQr(childQr)) {
    return { kind: 'reject', childQr, error: new AppError('QR_ROLE_CONFLICT', `${childQr} is a parent label, not a child bag.`) };
  }
  if (!isChildQr(childQr)) {
    return { kind: 'reject', childQr, error: new AppError('INVALID_QR', `"${childQr}" is not a child QR: expected ${CHILD_FORMAT}.`) };
  }
  // A repeat of a child already here is always a harmless duplicate, even once the parent is closed.
  if (state.children.has(childQr)) return { kind: 'duplicate', childQr };
  if (state.billFinalized) {
    return { kind: 'reject', childQr, error: finalizedError(state) };
  }
  if (state.children.size >= state.capacity) {
    return { kind: 'reject', childQr, error: new AppError('PARENT_FULL', `Parent ${state.qr} is full (${state.capacity} bags).`, { parentQr: state.qr }) };
  }
  if (state.status === 'completed') {
    return { kind: 'reject', childQr, error: new AppError('PARENT_COMPLETED', `Parent ${state.qr} is completed.`, { parentQr: state.qr }) };
  }
  return { kind: 'claim', childQr };
}

function finalizedError(state: ParentState): AppError {
  return new AppError('PARENT_ON_FINALIZED_BILL', `Parent ${state.qr} is on finalized bill ${state.billNo ?? ''}.`.replace(' .', '.'), {
    billNo: state.billNo,
  });
}

/** Links a claimed child; completes the parent when it reaches capacity. */
export function applyLink(state: ParentState, childQr: string, user: SessionUser, scanId: string, now: number): ParentEvent[] {
  const child: ChildEntry = { qr: childQr, linkedAt: now, byId: user.id, byName: user.username, scanId };
  state.children.set(childQr, child);
  state.version++;
  const events: ParentEvent[] = [{ type: 'linked', child }];
  if (state.children.size >= state.capacity && state.status !== 'completed') {
    state.status = 'completed';
    state.completedAt = now;
    state.completedById = user.id;
    events.push({ type: 'completed', byId: user.id, byName: user.username, at: now });
  }
  return events;
}

/** The caller's most recent child of this parent, if it was linked within the undo window. */
export function decideUndo(state: ParentState, user: SessionUser, now: number, undoWindowMs: number): ChildEntry | AppError {
  if (state.billFinalized) return finalizedError(state);
  let last: ChildEntry | undefined;
  for (const child of state.children.values()) {
    if (child.byId === user.id && (!last || child.linkedAt >= last.linkedAt)) last = child;
  }
  if (!last) return new AppError('NOTHING_TO_UNDO', `You have no scan in ${state.qr} to undo.`);
  if (now - last.linkedAt > undoWindowMs) {
    return new AppError('NOTHING_TO_UNDO', `Your last scan in ${state.qr} (${last.qr}) is older than the undo window.`);
  }
  return last;
}

/** Supervisors and admins may unlink any child of a parent that is not on a finalized bill. */
export function decideUnlink(state: ParentState, rawChildQr: string): ChildEntry | AppError {
  if (state.billFinalized) return finalizedError(state);
  const childQr = normalizeQr(rawChildQr);
  const child = state.children.get(childQr);
  if (!child) return new AppError('NOT_FOUND', `${childQr} is not in parent ${state.qr}.`);
  return child;
}

/** Removes a child; a parent that was completed reopens because it is no longer full. */
export function applyUnlink(
  state: ParentState,
  child: ChildEntry,
  user: SessionUser,
  reason: 'undo' | 'unlink',
  now: number,
): ParentEvent[] {
  state.children.delete(child.qr);
  state.version++;
  if (state.status === 'completed') {
    state.status = 'open';
    state.completedAt = null;
    state.completedById = null;
  }
  return [{ type: 'unlinked', child, byId: user.id, byName: user.username, at: now, reason }];
}

/** Completing below capacity is a supervisor's or admin's call. */
export function decideComplete(state: ParentState, user: SessionUser): AppError | null {
  if (state.billFinalized) return finalizedError(state);
  if (state.status === 'completed') return null;
  if (state.children.size < state.capacity && user.role !== 'supervisor' && user.role !== 'admin') {
    return new AppError('FORBIDDEN', `Only a supervisor or admin can complete ${state.qr} below capacity (${state.children.size}/${state.capacity}).`);
  }
  return null;
}

export function applyComplete(state: ParentState, user: SessionUser, now: number): ParentEvent[] {
  if (state.status === 'completed') return [];
  state.status = 'completed';
  state.completedAt = now;
  state.completedById = user.id;
  state.version++;
  return [{ type: 'completed', byId: user.id, byName: user.username, at: now }];
}

// ---- Bills. The parent is the single authority on which bill it is on: each of these runs synchronously
// inside the parent's object, so two bills claiming one parent at once are decided in turn: one wins.

/** A bill may take this parent unless another bill has it. */
export function decideClaimBill(state: Pick<ParentState, 'qr' | 'billNo'>, billNo: string): AppError | null {
  if (state.billNo !== null && state.billNo !== billNo) {
    return new AppError('PARENT_ON_OTHER_BILL', `Parent ${state.qr} is already on bill ${state.billNo}.`, { billNo: state.billNo, parentQr: state.qr });
  }
  return null;
}

/** Puts the parent on `billNo` (open); false when nothing changed or the call is older than one applied. */
export function applyClaimBill(state: ParentState, billNo: string, version: number): boolean {
  if (state.billNo === billNo && version < state.billVersion) return false;
  const changed = state.billNo !== billNo || state.billFinalized;
  state.billNo = billNo;
  state.billFinalized = false;
  state.billVersion = version;
  // On a bill again: a later return is a new one.
  if (changed) state.returned = null;
  if (changed) state.version++;
  return changed;
}

/** Frees the parent, but only from the bill that holds it and only for a call not older than its claim. */
export function applyReleaseBill(state: ParentState, billNo: string, version: number): boolean {
  if (state.billNo !== billNo || version < state.billVersion) return false;
  state.billNo = null;
  state.billFinalized = false;
  state.billVersion = version;
  state.version++;
  return true;
}

/** Freezes (finalize) or thaws (reopen) the parent for the bill that holds it. */
export function applySyncBill(state: ParentState, billNo: string, finalized: boolean, version: number): boolean {
  if (state.billNo !== billNo || version < state.billVersion) return false;
  state.billVersion = version;
  if (state.billFinalized === finalized) return false;
  state.billFinalized = finalized;
  state.version++;
  return true;
}

// ---- Returns. Like bills, decided here: a parent can be returned once from the bill that holds it, and two
// tickets scanning it at once are decided in turn by this object's input gate.

export type ReturnDecision =
  | { kind: 'return' }
  /** Already returned by this very ticket (a retried call): answer the same facts again. */
  | { kind: 'again'; returned: ParentReturn }
  | { kind: 'reject'; error: AppError };

export function decideReturn(state: Pick<ParentState, 'qr' | 'billNo' | 'returned'>, ticketCode: string): ReturnDecision {
  const returned = state.returned ?? null;
  if (state.billNo === null) {
    if (returned?.ticketCode === ticketCode) return { kind: 'again', returned };
    if (returned) {
      return {
        kind: 'reject',
        error: new AppError('PARENT_ALREADY_RETURNED', `Parent ${state.qr} was already returned on ${returned.ticketCode} (from bill ${returned.billNo}).`, {
          parentQr: state.qr,
          ticketCode: returned.ticketCode,
          billNo: returned.billNo,
        }),
      };
    }
    return { kind: 'reject', error: new AppError('PARENT_NOT_ON_BILL', `Parent ${state.qr} is not on a bill; only billed parents can be returned.`, { parentQr: state.qr }) };
  }
  return { kind: 'return' };
}

/** Takes the parent off its bill (finalized or not) for `ticketCode`; it is free for a new bill at once. */
export function applyReturn(state: ParentState, ticketCode: string, now: number): ParentReturn {
  const returned: ParentReturn = {
    ticketCode,
    at: now,
    billNo: state.billNo as string,
    billFinalized: state.billFinalized,
    billVersion: state.billVersion,
    childCount: state.children.size,
  };
  state.returned = returned;
  state.billNo = null;
  state.billFinalized = false;
  state.version++;
  return returned;
}

export function toParentView(state: ParentState): ParentView {
  const children: ChildView[] = [];
  for (const c of state.children.values()) {
    children.push({ qr: c.qr, linkedAt: new Date(c.linkedAt).toISOString(), by: c.byName });
  }
  return {
    qr: state.qr,
    areaId: state.areaId,
    status: state.status,
    childCount: state.children.size,
    capacity: state.capacity,
    children,
    billNo: state.billNo,
    billFinalized: state.billFinalized,
    ...(state.returned ? { returnedOn: state.returned.ticketCode } : {}),
  };
}
