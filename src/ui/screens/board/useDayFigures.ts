// The board's day figures (parents opened and completed today, rejections in the last hour) come from the
// server's counters (GET /api/stats), not from what this page happened to see. They are read again shortly
// after board activity (once the flush has landed, at most every few seconds) and, for rejections that move
// no tile, every half minute; always read afresh (Cache-Control: no-cache), never from the server's snapshot.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Stats } from '../../api/types';
import { setTimeZone } from '../../format';

/** An acknowledged scan reaches the counters within about a second (docs/BENCHMARKS.md). */
export const AFTER_EVENT_MS = 1500;
/** However busy the floor, one read per board every few seconds is enough. */
export const MIN_GAP_MS = 5000;
export const FALLBACK_MS = 30_000;

/** When to read again after board activity at `eventAt`, given the previous read started at `lastReadAt`. */
export function refreshAt(eventAt: number, lastReadAt: number): number {
  return Math.max(eventAt + AFTER_EVENT_MS, lastReadAt + MIN_GAP_MS);
}

export function useDayFigures(areaId: string, events: number): { stats: Stats | null; failed: boolean } {
  const [stats, setStats] = useState<Stats | null>(null);
  const [failed, setFailed] = useState(false);
  const lastRead = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const generation = useRef(0);

  const read = () => {
    clearTimeout(pending.current);
    pending.current = undefined;
    lastRead.current = Date.now();
    const gen = generation.current;
    // Fresh, never the server's one-second snapshot: this read follows a push, and a snapshot taken before
    // the flush landed would keep the tiles behind until the next change (stats-snapshot.ts).
    api<Stats>(`/api/stats${areaId ? `?areaId=${encodeURIComponent(areaId)}` : ''}`, { fresh: true })
      .then((s) => {
        if (gen !== generation.current) return;
        setTimeZone(s.timeZone);
        setStats(s);
        setFailed(false);
      })
      .catch(() => gen === generation.current && setFailed(true));
  };

  useEffect(() => {
    generation.current++;
    setStats(null);
    read();
    const fallback = setInterval(read, FALLBACK_MS);
    return () => {
      generation.current++;
      clearInterval(fallback);
      clearTimeout(pending.current);
      pending.current = undefined;
    };
  }, [areaId]);

  useEffect(() => {
    if (events === 0 || pending.current !== undefined) return;
    const now = Date.now();
    pending.current = setTimeout(read, refreshAt(now, lastRead.current) - now);
  }, [events]);

  return { stats, failed };
}
