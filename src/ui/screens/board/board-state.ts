// The live board's rules as pure functions over the board WebSocket's messages: which parents show, which
// stand out (nearly full, idle), when a completed one fades and goes, and the header's scans-per-minute
// series, computed from count changes so no extra endpoint or polling is needed.
import type { SessionSummary } from '../../../shared/types';

export const NEARLY_FULL_AT = 27;
export const IDLE_AFTER_MS = 5 * 60_000;
export const COMPLETED_VISIBLE_MS = 60_000;
export const ACTIVE_SCANNER_WINDOW_MS = 5 * 60_000;
export const RATE_MINUTES = 15;

export interface Tile extends SessionSummary {
  /** When this board first saw the parent completed (ms), for the one-minute fade. */
  completedSeenAt: number | null;
}

export interface BoardState {
  tiles: Map<string, Tile>;
  /** Child scans per minute bucket (key = minute number since epoch), from positive count changes. */
  perMinute: Map<number, number>;
  /** Parents this page saw opened / completed (sessions appearing, turning completed). */
  openedSeen: Set<string>;
  completedSeen: Set<string>;
  /** Session frames received (one `session` or one `sessions` batch): each may change the day's figures, which are then read again. */
  events: number;
}

export function emptyBoard(): BoardState {
  return { tiles: new Map(), perMinute: new Map(), openedSeen: new Set(), completedSeen: new Set(), events: 0 };
}

function completedSeenAt(s: SessionSummary, previous: Tile | undefined, now: number): number | null {
  if (s.status !== 'completed') return null;
  if (previous?.completedSeenAt != null) return previous.completedSeenAt;
  // A snapshot's completed parent: its last scan is when it completed.
  const last = s.lastScanAt ? Date.parse(s.lastScanAt) : NaN;
  return Number.isFinite(last) && !previous ? Math.min(last, now) : now;
}

/** The board after a snapshot: the listed sessions replace everything (the rate history is kept). */
export function applySnapshot(state: BoardState, sessions: readonly SessionSummary[], now: number): BoardState {
  const tiles = new Map<string, Tile>();
  for (const s of sessions) {
    const previous = state.tiles.get(s.parentQr);
    tiles.set(s.parentQr, { ...s, completedSeenAt: completedSeenAt(s, previous, now) });
  }
  return { ...state, tiles: prune(tiles, now) };
}

/** The board after one session update; positive count changes feed the scans-per-minute series. */
export function applySession(state: BoardState, s: SessionSummary, now: number): BoardState {
  return applySessions(state, [s], now);
}

/**
 * The board after a batch of session updates (a `sessions` frame, or one `session`): each applied in order as
 * if it had come alone, with one copy of the state for the whole batch; the batch counts as one event.
 */
export function applySessions(state: BoardState, sessions: readonly SessionSummary[], now: number): BoardState {
  const tiles = new Map(state.tiles);
  const perMinute = new Map(state.perMinute);
  const openedSeen = new Set(state.openedSeen);
  const completedSeen = new Set(state.completedSeen);
  for (const s of sessions) {
    const previous = tiles.get(s.parentQr);
    tiles.set(s.parentQr, { ...s, completedSeenAt: completedSeenAt(s, previous, now) });
    const delta = s.childCount - (previous?.childCount ?? 0);
    // Without an earlier count only a parent's very first scan is certain; anything else may be backlog.
    if (delta > 0 && (previous !== undefined || s.childCount === 1)) {
      const at = s.lastScanAt ? Date.parse(s.lastScanAt) : now;
      const minute = Math.floor((Number.isFinite(at) ? at : now) / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + delta);
    }
    if (!previous && s.status === 'open' && s.childCount <= 1) openedSeen.add(s.parentQr);
    if (s.status === 'completed' && previous?.status !== 'completed') completedSeen.add(s.parentQr);
  }
  const oldest = Math.floor(now / 60_000) - RATE_MINUTES;
  for (const k of perMinute.keys()) if (k < oldest) perMinute.delete(k);
  return { tiles: prune(tiles, now), perMinute, openedSeen, completedSeen, events: state.events + (sessions.length > 0 ? 1 : 0) };
}

/** Drops completed parents whose minute on the board is over. */
export function prune(tiles: Map<string, Tile>, now: number): Map<string, Tile> {
  let changed = false;
  const out = new Map(tiles);
  for (const [qr, t] of tiles) {
    if (t.completedSeenAt != null && now - t.completedSeenAt >= COMPLETED_VISIBLE_MS) {
      out.delete(qr);
      changed = true;
    }
  }
  return changed ? out : tiles;
}

export interface TileLook {
  nearlyFull: boolean;
  idle: boolean;
  completed: boolean;
  /** 0..1 of the completed minute gone, for the fade. */
  fade: number;
  secondsSinceScan: number | null;
  percent: number;
}

export function tileLook(t: Tile, now: number): TileLook {
  const last = t.lastScanAt ? Date.parse(t.lastScanAt) : NaN;
  const since = Number.isFinite(last) ? Math.max(0, now - last) : null;
  const completed = t.status === 'completed';
  return {
    completed,
    nearlyFull: !completed && t.childCount >= NEARLY_FULL_AT,
    idle: !completed && since !== null && since >= IDLE_AFTER_MS,
    fade: completed && t.completedSeenAt != null ? Math.min(1, Math.max(0, (now - t.completedSeenAt) / COMPLETED_VISIBLE_MS)) : 0,
    secondsSinceScan: since === null ? null : Math.floor(since / 1000),
    percent: t.capacity > 0 ? Math.min(100, Math.round((t.childCount / t.capacity) * 100)) : 0,
  };
}

/** Scans in each of the last `minutes` whole minutes, oldest first, ending with the current minute. */
export function scansPerMinute(state: BoardState, now: number, minutes = RATE_MINUTES): number[] {
  const current = Math.floor(now / 60_000);
  const out: number[] = [];
  for (let m = current - minutes + 1; m <= current; m++) out.push(state.perMinute.get(m) ?? 0);
  return out;
}

/** People who scanned into one of the board's parents in the last five minutes. */
export function activeScanners(state: BoardState, now: number): string[] {
  const names = new Set<string>();
  for (const t of state.tiles.values()) {
    const last = t.lastScanAt ? Date.parse(t.lastScanAt) : NaN;
    if (t.by && Number.isFinite(last) && now - last <= ACTIVE_SCANNER_WINDOW_MS) names.add(t.by);
  }
  return [...names].sort();
}

/** Tiles in display order: open ones needing attention first (nearly full, then idle), then by QR. */
export function orderedTiles(state: BoardState, now: number): Tile[] {
  const rank = (t: Tile) => {
    const l = tileLook(t, now);
    return l.completed ? 3 : l.nearlyFull ? 0 : l.idle ? 1 : 2;
  };
  return [...state.tiles.values()].sort((a, b) => rank(a) - rank(b) || a.parentQr.localeCompare(b.parentQr));
}
