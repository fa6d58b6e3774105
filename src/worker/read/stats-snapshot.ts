// The dashboard's figures from a snapshot (issue 15 point 3): every signed-in dashboard asks /api/stats, so
// under an office's load most requests asked Postgres (through a PgReader) and the live boards for the same
// figures within the same second. Each isolate keeps the last answer per (day, area scope) and serves it
// while it is younger than SNAPSHOT_MS; an older one (up to MAX_STALE_MS) is still served while one request
// refreshes it in the background. Past MAX_STALE_MS (nobody asked for a while) the request reads afresh.
//
// A caller that must see what the flush has just written (the live board's read after a push, which sends
// `Cache-Control: no-cache`) reads afresh, and its answer replaces the snapshot, so nobody in this isolate
// is shown older figures after it (the board e2e test compares the two). A read only replaces a snapshot
// taken by a read that started earlier: a slow background refresh never puts older figures back.
// `/api/stats/hourly` answers the same way, from its own snapshots per (date, area scope) (issue 15 point 3;
// the class is generic over the figures it holds).
// Authorization is unchanged: the scope is decided per request before the snapshot is looked up, and a
// snapshot only ever holds one scope's figures. Only plain data is shared between requests (never a
// promise or an I/O object, which workerd ties to the request that made it).
import type { Stats } from './stats';

/** A snapshot is fresh this long: the dashboard is about a second behind at most, under load. */
export const SNAPSHOT_MS = 1000;
/** Served (and refreshed in the background) up to this age; older ones are read again first. */
export const MAX_STALE_MS = 5000;
/** Snapshots one isolate holds per kind at most. */
export const MAX_ENTRIES = 256;

interface Entry<T> {
  /** When the read that produced `stats` started: the figures are at least this new. */
  readAt: number;
  stats: T;
  /** When a background refresh started (0: none running); a refresh that never ends is retried after MAX_STALE_MS. */
  refreshingSince: number;
}

export class StatsSnapshots<T = Stats> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly clock: () => number = Date.now) {}

  /**
   * The figures for `key`: from the snapshot when it is fresh enough, otherwise from `load` (awaited when
   * there is no usable snapshot or the caller asks for `fresh` figures, in the background through
   * `waitUntil` otherwise). What is returned must not be changed by the caller: the same object answers
   * later requests.
   */
  async get(key: string, load: () => Promise<T>, waitUntil: (p: Promise<unknown>) => void, fresh = false): Promise<T> {
    const now = this.clock();
    const entry = this.entries.get(key);
    const age = entry ? now - entry.readAt : Infinity;
    if (!fresh && entry && age < SNAPSHOT_MS) return entry.stats;
    if (!fresh && entry && age < MAX_STALE_MS) {
      if (entry.refreshingSince === 0 || now - entry.refreshingSince > MAX_STALE_MS) {
        entry.refreshingSince = now;
        waitUntil(
          load().then(
            (stats) => this.store(key, stats, now),
            () => (entry.refreshingSince = 0), // the next request tries again; this one keeps the snapshot
          ),
        );
      }
      return entry.stats;
    }
    const stats = await load();
    this.store(key, stats, now);
    return stats;
  }

  private store(key: string, stats: T, readAt: number): void {
    const held = this.entries.get(key);
    // An older read finishing late (a background refresh overtaken by a fresh read) keeps the newer figures.
    if (held && held.readAt > readAt) {
      held.refreshingSince = 0;
      return;
    }
    this.entries.set(key, { readAt, stats, refreshingSince: 0 });
    // Keys are (day, area scope): few, but drop the ones nobody reads any more so a long-lived isolate stays small,
    // and past MAX_ENTRIES (someone paging through many dates of the hourly chart) the oldest reads first.
    for (const [k, e] of this.entries) if (readAt - e.readAt > MAX_STALE_MS * 12) this.entries.delete(k);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = [...this.entries].sort((a, b) => a[1].readAt - b[1].readAt).slice(0, this.entries.size - MAX_ENTRIES);
      for (const [k] of oldest) this.entries.delete(k);
    }
  }
}

/** `Cache-Control: no-cache` (or `max-age=0`) on the request: the caller wants figures read now. */
export function wantsFresh(cacheControl: string | undefined): boolean {
  return cacheControl !== undefined && /(^|,)\s*(no-cache|no-store|max-age=0)\s*(,|$)/i.test(cacheControl);
}
