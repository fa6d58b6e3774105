// What the scanner knows and decides, without I/O: the current parent (the server's view, or the last one this
// device saw), the scans still waiting for the server's answer, an open question, and the answer each code gets.
// Pure, tested in plain Node (test/node/ui/scan-state.test.ts); ScannerSession holds the state and carries out
// the effects (open a parent, send a scan, complete) through ScanSender.
//
// Rules: every code gets exactly one answer, now or when the server answers it. Online, the server decides
// each child scan (it also records duplicates and refusals). Offline, the device decides what it can: a child
// already in the bag is a duplicate, the bag's capacity is a hard stop, a completed bag takes nothing; only
// an accepted scan waits on the device, and the server still has the last word when it is sent.
import type { MessageKey } from '../i18n/en';
import type { Params } from '../i18n/translate';
import { isChildQr, isParentQr, looksLikeParentQr, PARENT_DIGITS } from '../../shared/qr';
import type { ServerMessage } from '../../shared/protocol';
import type { ChildView, ParentStatus, ParentView, Role, ScanResult } from '../../shared/types';

export interface Words {
  key: MessageKey;
  params?: Params;
}

export type OutcomeKind = 'linked' | 'duplicate' | 'rejected' | 'queued' | 'complete' | 'info' | 'question';

export interface Outcome {
  kind: OutcomeKind;
  /** The label the answer is about ('' when it is about several, e.g. a replay). */
  qr: string;
  /** The big word; the kind's own ("Linked", "Not recorded"…) unless a screen says otherwise. */
  title?: Words;
  /** Short words, readable across a bench. */
  words: Words;
  /** The longer explanation, shown on tap. */
  detail?: Words;
  /** The server's (or our own) error code, shown with the details. */
  code?: string;
  /** The answer is to a scan (not a replay report): what the one-answer-per-scan rule counts. */
  toScan: boolean;
}

/** An HTTP error as the answer mappers of the bill and return scan cards read it: code, status, details. */
export interface ErrorLike {
  code: string;
  message?: string;
  status?: number;
  details?: Record<string, unknown>;
}

export interface WaitingScan {
  scanId: string;
  parentQr: string;
  qr: string;
  /** When it was scanned (ISO). */
  at: string;
  userId: number;
  by: string;
  /** Handed to the socket or HTTP and not answered yet (false: kept on the device until the network is back). */
  sent: boolean;
}

export type Question = { kind: 'switch'; to: string } | { kind: 'complete' };

export interface ScanState {
  parentQr: string | null;
  /** The server's view of the current parent (or the last this device saw, when offline); null until known. */
  parent: ParentView | null;
  /** This user's scans without a server answer yet, in scan order, any parent. */
  waiting: WaitingScan[];
  question: Question | null;
  /**
   * Answers to scans of the current parent that came before the parent's own view (children scanned while
   * the open was still on its way): the open's answer may have been made before them, so they are merged
   * into it when it comes, never lost (with no socket, no later `state` would correct the count).
   */
  early?: EarlyAnswer[];
  /** The parent's open is on its way: the view it brings may be older than the answers that beat it. */
  opening?: boolean;
}

export interface EarlyAnswer {
  parentQr: string;
  /** Set when the answer linked the child. */
  child: ChildView | null;
  childCount: number;
  capacity: number;
  status: ParentStatus;
}

export interface ScanContext {
  online: boolean;
  user: { id: number; username: string; role: Role };
  now: Date;
  newScanId: () => string;
}

export type Effect = { type: 'open'; qr: string } | { type: 'send'; scan: WaitingScan } | { type: 'complete'; qr: string; byScan: boolean };

export interface Step {
  state: ScanState;
  effects: Effect[];
  /** The answer now; null when the server's answer (or the parent opening) will be it. */
  outcome: Outcome | null;
}

export interface ScanAnswer {
  result: ScanResult;
  childQr: string;
  childCount: number;
  capacity: number;
  status: ParentStatus;
  error?: { code: string; message?: string; [detail: string]: unknown };
}

/** Capacity when this device has never seen the parent (the product's default). */
export const DEFAULT_CAPACITY = 30;

export const emptyState: ScanState = { parentQr: null, parent: null, waiting: [], question: null };

const answer = (kind: OutcomeKind, qr: string, key: MessageKey, params?: Params, extra: Partial<Outcome> = {}): Outcome => ({
  kind,
  qr,
  words: { key, params },
  toScan: true,
  ...extra,
});

/** The current parent's view, known or assumed (a parent opened offline that this device never saw). */
function parentOf(state: ScanState): ParentView | null {
  if (!state.parentQr) return null;
  if (state.parent?.qr === state.parentQr) return state.parent;
  return null;
}

/**
 * Children of the current parent as the operator should see them: the server's, plus scans the device took
 * and keeps until the network is back. A scan on its way to the server is not shown yet: its answer (a few
 * ms later) decides, so the count never rises for a scan the server then refuses, and 30 / 30 is never shown
 * for a 30th child that is not in the bag. `inFlight` adds those too, for the device's own checks offline.
 */
export function childrenShown(state: ScanState, inFlight = false): Array<ChildView & { waiting?: boolean }> {
  const parent = parentOf(state);
  const confirmed = parent?.children ?? [];
  const known = new Set(confirmed.map((c) => c.qr));
  const waiting = state.waiting
    .filter((w) => w.parentQr === state.parentQr && !known.has(w.qr) && (inFlight || !w.sent))
    .map((w) => ({ qr: w.qr, linkedAt: w.at, by: w.by, waiting: true }));
  return [...confirmed, ...waiting];
}

export function countShown(state: ScanState, inFlight = false): number {
  const parent = parentOf(state);
  const waiting = childrenShown(state, inFlight).filter((c) => c.waiting).length;
  return Math.max(parent?.childCount ?? 0, parent?.children.length ?? 0) + waiting;
}

export function capacityOf(state: ScanState): number {
  return parentOf(state)?.capacity ?? state.parent?.capacity ?? DEFAULT_CAPACITY;
}

/** Completed by the server, or full on this device with scans waiting. */
export function isComplete(state: ScanState): boolean {
  return parentOf(state)?.status === 'completed' || (state.parentQr !== null && countShown(state) >= capacityOf(state));
}

/** Why a label can never be a child, in short words; null when it can. */
function notAChild(code: string): Outcome | null {
  if (looksLikeParentQr(code) && !isParentQr(code)) {
    return answer('rejected', code, 'scan.reject.lookalike', { digits: code.length - 2, expected: PARENT_DIGITS }, { detail: { key: 'scan.detail.formats' }, code: 'INVALID_QR' });
  }
  if (!isChildQr(code)) return answer('rejected', code, 'scan.reject.notALabel', undefined, { detail: { key: 'scan.detail.formats' }, code: 'INVALID_QR' });
  return null;
}

/** A code from the wedge, the manual field or the camera. */
export function onCode(state: ScanState, code: string, ctx: ScanContext): Step {
  const none = (outcome: Outcome | null, next: ScanState = state): Step => ({ state: next, effects: [], outcome });
  if (!code) return none(null);
  const q = state.question;

  if (isParentQr(code)) {
    if (q?.kind === 'switch' && code === q.to) return openParent({ ...state, question: null }, code);
    if (q?.kind === 'complete' && code === state.parentQr) {
      return { state: { ...state, question: null }, effects: [{ type: 'complete', qr: code, byScan: true }], outcome: null };
    }
    if (code === state.parentQr) {
      const next = { ...state, question: null };
      if (q) return none(answer('info', code, 'scan.stay', { parent: code }), next);
      return none(answer('info', code, isComplete(state) ? 'scan.parentComplete' : 'scan.alreadyFilling', { parent: code }), next);
    }
    if (state.parentQr && !isComplete(state) && countShown(state) > 0) {
      const next: ScanState = { ...state, question: { kind: 'switch', to: code } };
      return none(answer('question', code, 'scan.askSwitch', { from: state.parentQr, to: code, count: countShown(state), capacity: capacityOf(state) }), next);
    }
    return openParent({ ...state, question: null }, code);
  }

  const refusal = notAChild(code);
  if (refusal) return none(refusal);
  if (!state.parentQr) return none(answer('rejected', code, 'scan.reject.noParent', undefined, { detail: { key: 'scan.detail.formats' } }));
  // A child answers any question with "stay": it goes into the current parent.
  return scanChild({ ...state, question: null }, code, ctx);
}

function openParent(state: ScanState, qr: string): Step {
  return { state: { ...state, parentQr: qr, parent: state.parent?.qr === qr ? state.parent : null, early: [], opening: true }, effects: [{ type: 'open', qr }], outcome: null };
}

function scanChild(state: ScanState, qr: string, ctx: ScanContext): Step {
  const parentQr = state.parentQr!;
  const scan: WaitingScan = { scanId: ctx.newScanId(), parentQr, qr, at: ctx.now.toISOString(), userId: ctx.user.id, by: ctx.user.username, sent: ctx.online };
  if (ctx.online) {
    // The server decides (and records) every scan it can reach; its ack is the answer.
    return { state: { ...state, waiting: [...state.waiting, scan] }, effects: [{ type: 'send', scan }], outcome: null };
  }
  const capacity = capacityOf(state);
  // Scans still on their way count too: each will take its place in the bag unless the server refuses it.
  const shown = childrenShown(state, true);
  const already = shown.find((c) => c.qr === qr);
  if (already) return { state, effects: [], outcome: answer('duplicate', qr, already.waiting ? 'scan.duplicateWaiting' : 'scan.duplicate', { parent: parentQr }) };
  if (parentOf(state)?.status === 'completed') {
    return { state, effects: [], outcome: answer('rejected', qr, 'scan.reject.complete', { parent: parentQr }, { code: 'PARENT_COMPLETED', detail: { key: 'error.PARENT_COMPLETED' } }) };
  }
  if (shown.length >= capacity) {
    return { state, effects: [], outcome: answer('rejected', qr, 'scan.reject.full', { count: shown.length, capacity }, { code: 'PARENT_FULL', detail: { key: 'error.PARENT_FULL' } }) };
  }
  const next: ScanState = { ...state, waiting: [...state.waiting, scan] };
  const count = countShown(next, true);
  const outcome =
    count >= capacity
      ? answer('complete', qr, 'scan.completeOffline', { parent: parentQr })
      : answer('queued', qr, 'scan.queued', { count, capacity });
  return { state: next, effects: [{ type: 'send', scan }], outcome };
}

/** The sender could not deliver a scan that was on its way: it now waits on the device. */
export function onQueued(state: ScanState, scanId: string): Step {
  const scan = state.waiting.find((w) => w.scanId === scanId);
  if (!scan) return { state, effects: [], outcome: null };
  const next: ScanState = { ...state, waiting: state.waiting.map((w) => (w.scanId === scanId ? { ...w, sent: false } : w)) };
  const mine = scan.parentQr === state.parentQr;
  return {
    state: next,
    effects: [],
    outcome: mine ? answer('queued', scan.qr, 'scan.queued', { count: countShown(next), capacity: capacityOf(next) }) : answer('queued', scan.qr, 'scan.queuedOther', { parent: scan.parentQr }),
  };
}

/** Words for a child the server refused, from its code. */
export function childRefusal(qr: string, error: { code: string; [detail: string]: unknown }): Outcome {
  const code = error.code;
  const extra = { code, detail: { key: `error.${code}` as MessageKey } };
  switch (code) {
    case 'CHILD_IN_OTHER_PARENT':
      return typeof error.parentQr === 'string'
        ? answer('rejected', qr, 'scan.reject.inOther', { parent: error.parentQr }, extra)
        : answer('rejected', qr, 'scan.reject.inAnother', undefined, extra);
    case 'PARENT_FULL':
      return answer('rejected', qr, 'scan.reject.fullShort', undefined, extra);
    case 'PARENT_COMPLETED':
      return answer('rejected', qr, 'scan.reject.completeShort', undefined, extra);
    case 'QR_ROLE_CONFLICT':
      return answer('rejected', qr, 'scan.reject.parentLabel', undefined, extra);
    case 'INVALID_QR':
      return notAChild(qr) ?? answer('rejected', qr, 'scan.reject.notALabel', undefined, extra);
    case 'NOT_FOUND':
      return answer('rejected', qr, 'scan.reject.notOpened', undefined, extra);
    case 'AREA_FORBIDDEN':
      return answer('rejected', qr, 'scan.reject.otherArea', undefined, extra);
    case 'FORBIDDEN':
    case 'UNAUTHENTICATED':
      return answer('rejected', qr, 'scan.reject.notAllowed', undefined, extra);
    case 'PARENT_ON_FINALIZED_BILL':
      return answer('rejected', qr, 'scan.reject.finalized', undefined, extra);
    case 'RATE_LIMITED':
      return answer('rejected', qr, 'scan.reject.tooFast', undefined, extra);
    default:
      return answer('rejected', qr, 'scan.reject.other', { code }, { code, detail: { key: 'error.unknown', params: { code } } });
  }
}

/**
 * When a child the server just linked is shown, until the server's own time for it arrives (its `linked`
 * event): the scan's time on the device, but never older than a child already in the bag, so it is listed
 * newest even when the server stamped the children before it later than this device scanned it.
 */
function newestTime(children: ChildView[], at: string): string {
  return children.reduce((t, c) => (c.linkedAt > t ? c.linkedAt : t), at);
}

/** The server answered a scan (ack, HTTP, or a replay when `announce` is false). */
export function onAnswer(state: ScanState, scanId: string, ans: ScanAnswer, announce = true): Step {
  const scan = state.waiting.find((w) => w.scanId === scanId);
  const waiting = state.waiting.filter((w) => w.scanId !== scanId);
  let parent = state.parent;
  const parentQr = scan?.parentQr ?? state.parentQr;
  if (parent && parent.qr === parentQr && ans.childCount >= 0) {
    const children =
      ans.result === 'linked' && !parent.children.some((c) => c.qr === ans.childQr)
        ? [...parent.children, { qr: ans.childQr, linkedAt: newestTime(parent.children, scan?.at ?? new Date().toISOString()), by: scan?.by ?? '' }]
        : parent.children;
    parent = { ...parent, childCount: ans.childCount, capacity: ans.capacity, status: ans.status, children };
  }
  const next: ScanState = { ...state, waiting, parent };
  if (scan && scan.parentQr === state.parentQr && (state.opening || parent?.qr !== scan.parentQr) && ans.childCount >= 0) {
    const child = ans.result === 'linked' ? { qr: ans.childQr, linkedAt: scan.at, by: scan.by ?? '' } : null;
    next.early = [...(state.early ?? []), { parentQr: scan.parentQr, child, childCount: ans.childCount, capacity: ans.capacity, status: ans.status }];
  }
  if (!announce || !scan) return { state: next, effects: [], outcome: null };
  let outcome: Outcome;
  if (ans.result === 'linked') {
    outcome =
      ans.status === 'completed' && ans.childCount >= ans.capacity
        ? answer('complete', ans.childQr, 'scan.complete', { parent: scan.parentQr })
        : answer('linked', ans.childQr, 'scan.linked', { count: ans.childCount, capacity: ans.capacity, parent: scan.parentQr });
  } else if (ans.result === 'duplicate') {
    outcome = answer('duplicate', ans.childQr, 'scan.duplicate', { parent: scan.parentQr });
  } else {
    outcome = childRefusal(ans.childQr || scan.qr, ans.error ?? { code: 'UNKNOWN' });
  }
  return { state: next, effects: [], outcome };
}

/** The parent's state from the server (open answer, socket `state`). */
export function onParent(state: ScanState, parent: ParentView): ScanState {
  if (parent.qr !== state.parentQr) return state;
  let merged = parent;
  for (const e of state.early ?? []) {
    if (e.parentQr !== parent.qr) continue;
    const child = e.child;
    if (child && !merged.children.some((c) => c.qr === child.qr)) merged = { ...merged, children: [...merged.children, { ...child, linkedAt: newestTime(merged.children, child.linkedAt) }] };
    if (e.childCount > merged.childCount) merged = { ...merged, childCount: e.childCount, capacity: e.capacity, status: e.status };
  }
  return { ...state, parent: merged, early: [], opening: false };
}

/** Another device's (or our own) change on the parent's socket. */
export function onParentEvent(state: ScanState, event: { type: 'linked' | 'unlinked' | 'completed'; parentQr: string; childQr?: string; childCount: number; status: ParentStatus; by: string; at: string }): ScanState {
  const p = state.parent;
  if (!p || p.qr !== event.parentQr) return state;
  let children = p.children;
  if (event.type === 'linked' && event.childQr) {
    children = children.some((c) => c.qr === event.childQr)
      ? children.map((c) => (c.qr === event.childQr ? { qr: c.qr, linkedAt: event.at, by: event.by } : c))
      : [...children, { qr: event.childQr, linkedAt: event.at, by: event.by }];
  } else if (event.type === 'unlinked') {
    children = children.filter((c) => c.qr !== event.childQr);
  }
  return { ...state, parent: { ...p, childCount: event.childCount, status: event.status, children } };
}

/** The route names another parent (/scan/SB00012): the screen opens it (any question is dropped). */
export function onOpenParent(state: ScanState, qr: string): Step {
  return { state: { ...state, parentQr: qr, parent: null, question: null, early: [], opening: true }, effects: [{ type: 'open', qr }], outcome: null };
}

/** The server refused to open a parent (not a network failure): the answer, loud and with the reason. */
export function parentRefusal(qr: string, error: { code: string }): Outcome {
  const detail = { key: `error.${error.code}` as MessageKey };
  const key = error.code === 'QR_ROLE_CONFLICT' ? 'scan.reject.childLabel' : error.code === 'AREA_FORBIDDEN' ? 'scan.reject.otherArea' : null;
  return key
    ? { kind: 'rejected', qr, words: { key }, detail, code: error.code, toScan: true }
    : { kind: 'rejected', qr, words: { key: 'scan.reject.other', params: { code: error.code } }, detail, code: error.code, toScan: true };
}

/**
 * What the parent's socket says to the scanner's state: the parent itself (`state`, on every connection) and
 * changes made by any device. Null when the state does not change (another parent's socket, acks and undo
 * answers, which the sender and Undo handle, errors).
 */
export function onServerMessage(state: ScanState, parentQr: string, message: ServerMessage): ScanState | null {
  if (parentQr !== state.parentQr) return null;
  switch (message.type) {
    case 'state':
      return onParent(state, message.parent);
    case 'linked':
    case 'unlinked':
    case 'completed':
      return onParentEvent(state, { ...message, parentQr });
    case 'ack':
    case 'undone':
    case 'error':
      return null;
    default: {
      const unknown: never = message;
      void unknown;
      return null;
    }
  }
}

/** Supervisor's Complete below capacity: asked once (a tap or the parent's label again confirms). */
export function askComplete(state: ScanState): Step {
  if (!state.parentQr) return { state, effects: [], outcome: null };
  if (countShown(state) >= capacityOf(state)) return { state, effects: [{ type: 'complete', qr: state.parentQr, byScan: false }], outcome: null };
  return {
    state: { ...state, question: { kind: 'complete' } },
    effects: [],
    outcome: { ...answer('question', state.parentQr, 'scan.askComplete', { parent: state.parentQr, count: countShown(state), capacity: capacityOf(state) }), toScan: false },
  };
}

/** The operator answered the question with a tap. */
export function answerQuestion(state: ScanState, yes: boolean): Step {
  const q = state.question;
  const next = { ...state, question: null };
  if (!q) return { state, effects: [], outcome: null };
  if (!yes) return { state: next, effects: [], outcome: { ...answer('info', state.parentQr ?? '', 'scan.stay', { parent: state.parentQr ?? '' }), toScan: false } };
  if (q.kind === 'switch') return openParent(next, q.to);
  return { state: next, effects: [{ type: 'complete', qr: state.parentQr!, byScan: false }], outcome: null };
}

export type UndoTarget = { kind: 'waiting'; scan: WaitingScan } | { kind: 'server'; qr: string } | null;

/** What Undo takes back: this user's newest child of the current parent — still on the device, or linked
 * within the undo window; nothing while that scan is on its way (its answer decides). */
export function undoTarget(state: ScanState, userId: number, username: string, now: number, windowMs: number): UndoTarget {
  const mineWaiting = state.waiting.filter((w) => w.parentQr === state.parentQr && w.userId === userId);
  const lastWaiting = mineWaiting[mineWaiting.length - 1];
  if (lastWaiting) return lastWaiting.sent ? null : { kind: 'waiting', scan: lastWaiting };
  const parent = parentOf(state);
  const mine = (parent?.children ?? []).filter((c) => c.by === username);
  // `>=`: of children linked in the same millisecond the later one is the newest, as the server's undo sees it.
  const newest = mine.reduce<ChildView | null>((a, c) => (!a || c.linkedAt >= a.linkedAt ? c : a), null);
  if (!newest || now - Date.parse(newest.linkedAt) >= windowMs) return null;
  return { kind: 'server', qr: newest.qr };
}

export function withoutWaiting(state: ScanState, scanId: string): ScanState {
  return { ...state, waiting: state.waiting.filter((w) => w.scanId !== scanId) };
}

/** A server undo removed a child. */
export function onRemoved(state: ScanState, childQr: string, childCount: number, status?: ParentStatus): ScanState {
  const p = state.parent;
  if (!p) return state;
  return { ...state, parent: { ...p, childCount, status: status ?? (childCount < p.capacity ? 'open' : p.status), children: p.children.filter((c) => c.qr !== childQr) } };
}
