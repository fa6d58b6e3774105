// The rules of the empty-parent cap (EMPTY_PARENTS_PER_USER, issue 10 point 4), free of I/O: which of a
// user's parent labels count as held-and-empty, when a new one may be opened, and when the ledger must ask
// Postgres again. The EmptyParentLedger object keeps one user's entries and applies these rules.

/** A label this user opened (or that Postgres listed as theirs, open and without a child), and since when. */
export type Entries = Map<string, number>;

/**
 * Labels opened this recently stay counted when the ledger re-reads Postgres, even if Postgres does not
 * list them: their rows may still be on the way (the flush lags the objects by about a second, longer
 * while Postgres is away). A parent that got children meanwhile is over-counted for at most this long.
 */
export const RECENT_MS = 10 * 60_000;

/** Past this share of the cap the ledger re-reads Postgres in the background, so opens never wait for it. */
export const REFRESH_SHARE = 0.75;
/** …but not more often than this. */
export const REFRESH_MIN_INTERVAL_MS = 60_000;

/** What Postgres lists (open, no child, created by the user) plus what was reserved recently. */
export function merged(entries: Entries, fromPostgres: readonly string[], now: number): Entries {
  const out: Entries = new Map();
  for (const qr of fromPostgres) out.set(qr, entries.get(qr) ?? 0);
  for (const [qr, at] of entries) if (now - at < RECENT_MS) out.set(qr, at);
  return out;
}

export type Decision = { kind: 'held' } | { kind: 'add' } | { kind: 'full'; held: number };

/** A label already counted is allowed again (a retry, a second tab); a new one only below the cap. */
export function decide(entries: Entries, qr: string, cap: number): Decision {
  if (entries.has(qr)) return { kind: 'held' };
  if (entries.size >= cap) return { kind: 'full', held: entries.size };
  return { kind: 'add' };
}

/** Whether to re-read Postgres in the background (near the cap, not too often). */
export function wantsRefresh(size: number, cap: number, lastRefreshAt: number, now: number): boolean {
  return size >= Math.ceil(cap * REFRESH_SHARE) && now - lastRefreshAt >= REFRESH_MIN_INTERVAL_MS;
}
