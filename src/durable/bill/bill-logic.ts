// The rules of one bill, free of I/O so they can be tested without workerd. The BillSession object
// keeps one live BillState in memory, asks these functions what to do, persists and fans out.
// `apply*` functions mutate the state they are given and return the event to persist and broadcast.
import { CHILD_WEIGHT_KG, type NewBill } from '../../shared/bill';
import { AppError } from '../../shared/errors';
import { isChildQr, isParentQr, normalizeQr, PARENT_FORMAT } from '../../shared/qr';
import type { BillStatus, BillView, ParentStatus, SessionUser, WeightSource } from '../../shared/types';

export interface BillParent {
  qr: string;
  addedAt: number; // epoch ms
  byId: number;
  byName: string;
  /** Last known child count: live reads refresh it; finalizing freezes it. */
  childCount: number;
  /** The parent's own state, capacity and area as it last reported them (unknown for old bills until read). */
  status?: ParentStatus;
  capacity?: number;
  areaId?: number | null;
}

/** What a parent tells its bill about itself (claim, live read, freeze). */
export interface ParentFacts {
  childCount: number;
  status?: ParentStatus;
  capacity?: number;
  areaId?: number | null;
}

/** The load as weighed: typed in from the weighbridge's display, or set by the weighbridge itself. */
export interface BillWeight {
  kg: number;
  source: WeightSource;
  at: number;
  byId: number;
  byName: string;
}

/** A parent a return ticket took off this bill (issue 13): the bill's "returned" line. */
export interface BillReturn {
  qr: string;
  ticketCode: string;
  at: number;
  childCount: number;
  byId: number;
  byName: string;
  /** The version of this bill's last call the parent had applied when it was returned. */
  billVersion: number;
}

export interface BillState {
  billNo: string;
  destination: string;
  vehicleNo: string;
  description: string | null;
  capacity: number;
  createdAt: number;
  createdById: number;
  createdByName: string;
  finalized: boolean;
  finalizedAt: number | null;
  finalizedBy: string | null;
  /** Insertion-ordered: the order parents were added in. */
  parents: Map<string, BillParent>;
  /** Null until the load was weighed; the variance is shown only once it has been. */
  weight: BillWeight | null;
  /** Returned lines, oldest first. Absent in bills stored before returns (read as none). */
  returned: BillReturn[];
  /**
   * Bumped on every change and on every call the bill makes to a parent (claim, release, finalize sync).
   * Parents apply a call of this bill only if it is not older than the last one they applied, so a late
   * retry (a release or a finalize sync from an alarm) can never undo a newer decision.
   */
  version: number;
}

export type BillEvent =
  | { type: 'created'; at: number; byId: number; byName: string }
  | { type: 'added'; parent: BillParent }
  | { type: 'removed'; parent: BillParent; at: number; byId: number; byName: string }
  | { type: 'finalized'; at: number; byId: number; byName: string }
  | { type: 'reopened'; at: number; byId: number; byName: string }
  | { type: 'weighed'; at: number; byId: number; byName: string; weight: BillWeight | null }
  | { type: 'returned'; line: BillReturn; at: number; byId: number; byName: string };

export function newBillState(input: NewBill, user: SessionUser, now: number): BillState {
  return {
    billNo: input.billNo,
    destination: input.destination,
    vehicleNo: input.vehicleNo,
    description: input.description ?? null,
    capacity: input.capacity,
    createdAt: now,
    createdById: user.id,
    createdByName: user.username,
    finalized: false,
    finalizedAt: null,
    finalizedBy: null,
    parents: new Map(),
    weight: null,
    returned: [],
    version: 1,
  };
}

/** Completed when full or finalized; empty without parents; otherwise in progress. */
export function billStatus(state: Pick<BillState, 'finalized' | 'capacity' | 'parents'>): BillStatus {
  if (state.finalized || state.parents.size >= state.capacity) return 'completed';
  return state.parents.size === 0 ? 'empty' : 'in_progress';
}

export interface BillTotals {
  parentCount: number;
  childCount: number;
  /** Measured, null until weighed. */
  actualWeightKg: number | null;
  /** From the counts: 1 kg per child bag. */
  expectedWeightKg: number;
  /** actual − expected, only once weighed. */
  varianceKg: number | null;
}

const kg2 = (n: number) => Math.round(n * 100) / 100;

export function billTotals(parents: Iterable<Pick<BillParent, 'childCount'>>, weight: Pick<BillWeight, 'kg'> | null = null): BillTotals {
  let parentCount = 0;
  let childCount = 0;
  for (const p of parents) {
    parentCount++;
    childCount += p.childCount;
  }
  const expectedWeightKg = childCount * CHILD_WEIGHT_KG;
  const actualWeightKg = weight ? weight.kg : null;
  return { parentCount, childCount, actualWeightKg, expectedWeightKg, varianceKg: actualWeightKg === null ? null : kg2(actualWeightKg - expectedWeightKg) };
}

/** Records what a parent said about itself; true when anything changed. */
export function applyParentFacts(parent: BillParent, facts: ParentFacts): boolean {
  let changed = false;
  if (parent.childCount !== facts.childCount) {
    parent.childCount = facts.childCount;
    changed = true;
  }
  if (facts.status !== undefined && parent.status !== facts.status) {
    parent.status = facts.status;
    changed = true;
  }
  if (facts.capacity !== undefined && parent.capacity !== facts.capacity) {
    parent.capacity = facts.capacity;
    changed = true;
  }
  if (facts.areaId !== undefined && parent.areaId !== facts.areaId) {
    parent.areaId = facts.areaId;
    changed = true;
  }
  return changed;
}

/**
 * Records (or, with null, clears) the measured weight. Allowed on finalized bills too: trucks are weighed at the
 * gate, often after the bill was closed, and weighing changes no parent. A repeat of the same weight is a no-op.
 */
export function applyWeigh(
  state: BillState,
  input: { kg: number; source: WeightSource } | null,
  user: SessionUser,
  now: number,
): BillEvent | null {
  const same = input === null ? state.weight === null : state.weight !== null && state.weight.kg === input.kg && state.weight.source === input.source;
  if (same) return null;
  state.weight = input === null ? null : { kg: input.kg, source: input.source, at: now, byId: user.id, byName: user.username };
  state.version++;
  return { type: 'weighed', at: now, byId: user.id, byName: user.username, weight: state.weight };
}

/**
 * A parent QR from a request, or INVALID_QR naming the expected format (a child label gets its own words,
 * naming what takes parent bags: bills, or return tickets).
 */
export function parseBillParentQr(raw: string, takenBy = 'bills'): string | AppError {
  const qr = normalizeQr(raw);
  if (isParentQr(qr)) return qr;
  const shown = qr.length > 64 ? `${qr.slice(0, 64)}…` : qr;
  if (isChildQr(qr)) return new AppError('INVALID_QR', `"${shown}" is a child bag label; ${takenBy} take parent bags (${PARENT_FORMAT}).`);
  return new AppError('INVALID_QR', `"${shown}" is not a parent QR: expected ${PARENT_FORMAT}.`);
}

export type AddDecision =
  | { kind: 'duplicate'; qr: string }
  | { kind: 'reject'; qr: string; error: AppError }
  | { kind: 'claim'; qr: string };

/**
 * What to do with a parent scanned into the bill before any I/O. Run again after the parent's claim
 * returns: other requests (another add, a finalize) may have changed the bill while the object waited.
 */
export function decideAdd(state: BillState, rawQr: string): AddDecision {
  const qr = parseBillParentQr(rawQr);
  if (qr instanceof AppError) return { kind: 'reject', qr: normalizeQr(rawQr), error: qr };
  // A repeat of a parent already on this bill is a harmless duplicate, even once the bill is finalized.
  if (state.parents.has(qr)) return { kind: 'duplicate', qr };
  if (state.finalized) return { kind: 'reject', qr, error: finalizedError(state) };
  if (state.parents.size >= state.capacity) {
    return {
      kind: 'reject',
      qr,
      error: new AppError('BILL_FULL', `Bill ${state.billNo} is full (${state.capacity} parent bags).`, { billNo: state.billNo, capacity: state.capacity }),
    };
  }
  return { kind: 'claim', qr };
}

export function finalizedError(state: Pick<BillState, 'billNo'>): AppError {
  return new AppError('BILL_FINALIZED', `Bill ${state.billNo} is finalized; an admin must reopen it first.`, { billNo: state.billNo });
}

export function applyAdd(state: BillState, qr: string, user: SessionUser, facts: ParentFacts, now: number): BillEvent {
  const parent: BillParent = { qr, addedAt: now, byId: user.id, byName: user.username, childCount: facts.childCount };
  applyParentFacts(parent, facts);
  state.parents.set(qr, parent);
  state.version++;
  return { type: 'added', parent };
}

/** Billers remove parents from open bills only. */
export function decideRemove(state: BillState, rawQr: string): BillParent | AppError {
  const qr = parseBillParentQr(rawQr);
  if (qr instanceof AppError) return qr;
  if (state.finalized) return finalizedError(state);
  const parent = state.parents.get(qr);
  if (!parent) return new AppError('NOT_FOUND', `Parent ${qr} is not on bill ${state.billNo}.`, { billNo: state.billNo });
  return parent;
}

export function applyRemove(state: BillState, parent: BillParent, user: SessionUser, now: number): BillEvent {
  state.parents.delete(parent.qr);
  state.version++;
  return { type: 'removed', parent, at: now, byId: user.id, byName: user.username };
}

/** 'noop' for a bill that is finalized already: finalizing is idempotent. */
export function decideFinalize(state: BillState): AppError | 'noop' | null {
  if (state.finalized) return 'noop';
  if (state.parents.size === 0) {
    return new AppError('CONFLICT', `Bill ${state.billNo} has no parent bags; add some before finalizing it.`, { billNo: state.billNo });
  }
  return null;
}

/**
 * Finalizes with the child counts the parents reported as they froze (a parent missing from `counts` could
 * not be reached and keeps its last known count; the object retries freezing it).
 */
export function applyFinalize(state: BillState, user: SessionUser, counts: ReadonlyMap<string, number>, now: number): BillEvent {
  for (const p of state.parents.values()) {
    const n = counts.get(p.qr);
    if (n !== undefined) p.childCount = n;
  }
  // (Each parent's own state comes with its freeze answer: see the object's parent calls.)
  state.finalized = true;
  state.finalizedAt = now;
  state.finalizedBy = user.username;
  state.version++;
  return { type: 'finalized', at: now, byId: user.id, byName: user.username };
}

export function decideReopen(state: BillState): AppError | null {
  if (!state.finalized) return new AppError('CONFLICT', `Bill ${state.billNo} is not finalized.`, { billNo: state.billNo });
  return null;
}

export function applyReopen(state: BillState, user: SessionUser, now: number): BillEvent {
  state.finalized = false;
  state.finalizedAt = null;
  state.finalizedBy = null;
  state.version++;
  return { type: 'reopened', at: now, byId: user.id, byName: user.username };
}

/**
 * A return ticket took `line.qr` off this bill (the parent decided it; see ParentSession.returnToTicket).
 * Finalized bills too: the parent goes, the bill keeps a returned line. Null for a repeat of the same return.
 */
export function applyReturned(state: BillState, line: BillReturn): BillEvent | null {
  if (state.returned.some((r) => r.qr === line.qr && r.ticketCode === line.ticketCode)) return null;
  state.parents.delete(line.qr);
  state.returned.push(line);
  state.version++;
  return { type: 'returned', line, at: line.at, byId: line.byId, byName: line.byName };
}

/** True when the parent was returned from this bill after (or at) the bill's claim `claimVersion`. */
export function returnedSince(state: Pick<BillState, 'returned'>, qr: string, claimVersion: number): boolean {
  return state.returned.some((r) => r.qr === qr && r.billVersion >= claimVersion);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What a bill is and where it stands, as both its view and its Postgres row (flusher.ts) start. */
export function billHead(state: BillState) {
  return {
    billNo: state.billNo,
    destination: state.destination,
    vehicleNo: state.vehicleNo,
    description: state.description,
    capacity: state.capacity,
    status: billStatus(state),
    finalized: state.finalized,
    finalizedAt: state.finalizedAt === null ? null : iso(state.finalizedAt),
  };
}

export function toBillView(state: BillState, stale = false): BillView {
  const parents = [...state.parents.values()];
  return {
    ...billHead(state),
    finalizedBy: state.finalizedBy,
    ...billTotals(parents, state.weight),
    weightSource: state.weight?.source ?? null,
    weighedAt: state.weight ? iso(state.weight.at) : null,
    weighedBy: state.weight?.byName ?? null,
    parents: parents.map((p) => ({
      qr: p.qr,
      childCount: p.childCount,
      addedAt: iso(p.addedAt),
      by: p.byName,
      ...(p.status === undefined ? {} : { status: p.status }),
      ...(p.capacity === undefined ? {} : { capacity: p.capacity }),
      ...(p.areaId === undefined ? {} : { areaId: p.areaId }),
    })),
    returned: state.returned.map((r) => ({ qr: r.qr, ticketCode: r.ticketCode, childCount: r.childCount, returnedAt: iso(r.at), by: r.byName })),
    createdAt: iso(state.createdAt),
    createdBy: state.createdByName,
    stale,
  };
}
