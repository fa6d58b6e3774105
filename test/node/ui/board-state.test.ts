import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../../src/shared/types';
import {
  activeScanners,
  applySession,
  applySessions,
  applySnapshot,
  emptyBoard,
  orderedTiles,
  prune,
  scansPerMinute,
  tileLook,
} from '../../../src/ui/screens/board/board-state';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const session = (over: Partial<SessionSummary>): SessionSummary => ({
  parentQr: 'SB00001',
  areaId: 1,
  childCount: 0,
  capacity: 30,
  status: 'open',
  lastScanAt: iso(T0),
  by: 'dispatcher',
  ...over,
});

describe('board tiles', () => {
  it('marks a parent nearly full from 27 children, not at 26, and never when completed', () => {
    const board = applySnapshot(emptyBoard(), [session({ parentQr: 'SB00001', childCount: 26 }), session({ parentQr: 'SB00002', childCount: 27 })], T0);
    expect(tileLook(board.tiles.get('SB00001')!, T0).nearlyFull).toBe(false);
    expect(tileLook(board.tiles.get('SB00002')!, T0).nearlyFull).toBe(true);
    const done = applySession(board, session({ parentQr: 'SB00002', childCount: 30, status: 'completed' }), T0);
    expect(tileLook(done.tiles.get('SB00002')!, T0).nearlyFull).toBe(false);
  });

  it('marks a parent idle after five minutes without a scan', () => {
    const board = applySnapshot(emptyBoard(), [session({ childCount: 5 })], T0);
    const tile = board.tiles.get('SB00001')!;
    expect(tileLook(tile, T0 + 4 * 60_000 + 59_000).idle).toBe(false);
    expect(tileLook(tile, T0 + 5 * 60_000).idle).toBe(true);
    expect(tileLook(tile, T0 + 12_345).secondsSinceScan).toBe(12);
  });

  it('keeps a completed parent for one minute, fading, then drops it', () => {
    let board = applySnapshot(emptyBoard(), [session({ childCount: 29 })], T0);
    board = applySession(board, session({ childCount: 30, status: 'completed', lastScanAt: iso(T0 + 1000) }), T0 + 1000);
    const tile = board.tiles.get('SB00001')!;
    expect(tileLook(tile, T0 + 31_000).fade).toBeCloseTo(0.5, 5);
    expect(prune(board.tiles, T0 + 60_999).has('SB00001')).toBe(true);
    expect(prune(board.tiles, T0 + 61_000).has('SB00001')).toBe(false);
    expect(board.completedSeen.has('SB00001')).toBe(true);
  });

  it('does not show a snapshot parent that completed more than a minute ago', () => {
    const board = applySnapshot(emptyBoard(), [session({ status: 'completed', childCount: 30, lastScanAt: iso(T0 - 120_000) })], T0);
    expect(board.tiles.size).toBe(0);
  });

  it('orders nearly full first, then idle, then the rest', () => {
    const board = applySnapshot(
      emptyBoard(),
      [
        session({ parentQr: 'SB00003', childCount: 3 }),
        session({ parentQr: 'SB00002', childCount: 4, lastScanAt: iso(T0 - 10 * 60_000) }),
        session({ parentQr: 'SB00009', childCount: 28 }),
      ],
      T0,
    );
    expect(orderedTiles(board, T0).map((t) => t.parentQr)).toEqual(['SB00009', 'SB00002', 'SB00003']);
  });
});

describe('board header figures', () => {
  it('counts scans per minute from count increases only', () => {
    let board = applySnapshot(emptyBoard(), [session({ childCount: 10 })], T0);
    board = applySession(board, session({ childCount: 12, lastScanAt: iso(T0 + 5_000) }), T0 + 5_000);
    board = applySession(board, session({ childCount: 11, lastScanAt: iso(T0 + 6_000) }), T0 + 6_000); // an undo
    board = applySession(board, session({ childCount: 12, lastScanAt: iso(T0 + 61_000) }), T0 + 61_000);
    // A parent this board never saw with many children is backlog, not this minute's scans.
    board = applySession(board, session({ parentQr: 'SB00077', childCount: 20, lastScanAt: iso(T0 + 62_000) }), T0 + 62_000);
    board = applySession(board, session({ parentQr: 'SB00078', childCount: 1, lastScanAt: iso(T0 + 63_000) }), T0 + 63_000);
    expect(scansPerMinute(board, T0 + 63_000, 3)).toEqual([0, 2, 2]);
    expect(board.openedSeen.has('SB00078')).toBe(true);
    expect(board.openedSeen.has('SB00077')).toBe(false);
  });

  it('lists people who scanned in the last five minutes', () => {
    const board = applySnapshot(
      emptyBoard(),
      [
        session({ parentQr: 'SB00001', by: 'asha', lastScanAt: iso(T0 - 60_000) }),
        session({ parentQr: 'SB00002', by: 'ravi', lastScanAt: iso(T0 - 6 * 60_000) }),
        session({ parentQr: 'SB00003', by: 'asha', lastScanAt: iso(T0) }),
        session({ parentQr: 'SB00004', by: null, lastScanAt: null }),
      ],
      T0,
    );
    expect(activeScanners(board, T0)).toEqual(['asha']);
  });
});

describe('batched board frames (sessions)', () => {
  it('a batch gives the tiles and figures the same updates one by one would, and counts as one event', () => {
    const start = applySnapshot(emptyBoard(), [session({ childCount: 10 }), session({ parentQr: 'SB00002', childCount: 28 })], T0);
    const batch = [
      session({ childCount: 12, lastScanAt: iso(T0 + 5_000) }),
      session({ parentQr: 'SB00002', childCount: 30, status: 'completed', lastScanAt: iso(T0 + 5_100) }),
      session({ parentQr: 'SB00078', childCount: 1, lastScanAt: iso(T0 + 5_200) }),
    ];
    const batched = applySessions(start, batch, T0 + 5_300);
    const single = batch.reduce((b, s) => applySession(b, s, T0 + 5_300), start);
    expect([...batched.tiles.entries()]).toEqual([...single.tiles.entries()]);
    expect(scansPerMinute(batched, T0 + 5_300, 1)).toEqual(scansPerMinute(single, T0 + 5_300, 1));
    expect(scansPerMinute(batched, T0 + 5_300, 1)).toEqual([5]); // 2 + 2 + 1
    expect(batched.completedSeen.has('SB00002')).toBe(true);
    expect(batched.openedSeen.has('SB00078')).toBe(true);
    expect(batched.events).toBe(start.events + 1);
    expect(single.events).toBe(start.events + 3);
    // An empty batch changes nothing that would read the day's figures again.
    expect(applySessions(batched, [], T0 + 5_400).events).toBe(batched.events);
  });
});
