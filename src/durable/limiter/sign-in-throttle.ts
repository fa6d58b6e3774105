// Sign-in throttling rules, pure (the RateLimiter object stores the rows). Failures are counted per
// (username, client network) and per client network. Up to a free number of failures nothing happens; past
// it every further failure doubles the wait before the next attempt from that key (base, 2 × base, 4 × base
// … up to a maximum). A key's failures are forgotten after `memoryMs` without a new one. Nothing here is
// per account alone: a guesser elsewhere never slows the real user's network, which is the point (a lock per
// account let anyone keep anyone locked out).
//
// Attempts are counted *before* the password is checked (so a burst of parallel guesses cannot all pass
// the check before the first failure is written), and given back when the password turned out right.

export interface ThrottlePolicy {
  /** Failures per (username, network) before delays start. */
  accountFreeFailures: number;
  /** Failures per network (all usernames together) before delays start. */
  networkFreeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures are forgotten after this long without a new one. */
  memoryMs: number;
}

export interface ThrottleRow {
  failures: number;
  lastFailureMs: number;
  blockedUntilMs: number;
}

export const EMPTY_ROW: ThrottleRow = { failures: 0, lastFailureMs: 0, blockedUntilMs: 0 };

/** The row as it stands at `now`: an old one is forgotten. */
export function decayed(row: ThrottleRow | null | undefined, now: number, memoryMs: number): ThrottleRow {
  if (!row || now - row.lastFailureMs > memoryMs) return EMPTY_ROW;
  return row;
}

/** The wait after the `failures`-th failure: 0 within the free ones, then base × 2^k, capped. */
export function delayAfter(failures: number, free: number, policy: Pick<ThrottlePolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  if (failures <= free) return 0;
  const doublings = Math.min(failures - free - 1, 40);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

/** One more failure at `now`. */
export function withFailure(row: ThrottleRow, now: number, free: number, policy: ThrottlePolicy): ThrottleRow {
  const failures = row.failures + 1;
  return { failures, lastFailureMs: now, blockedUntilMs: now + delayAfter(failures, free, policy) };
}

/**
 * Gives back a failure counted at `countedAt` whose password was right after all. If no other failure
 * was counted since (the row still carries ours), the row is as it was before; otherwise the later
 * failure's wait stands.
 */
export function withoutFailure(row: ThrottleRow, countedAt: number, before: ThrottleRow): ThrottleRow {
  const failures = Math.max(0, row.failures - 1);
  if (row.lastFailureMs === countedAt) return { ...before, failures: Math.min(failures, before.failures) };
  return { ...row, failures };
}

/** Milliseconds until the key may try again (0: now). */
export function waitMs(row: ThrottleRow, now: number): number {
  return Math.max(0, row.blockedUntilMs - now);
}

/** Whether an admin should see the key as throttled: past its free failures (each further one waits), or waiting. */
export function isThrottled(row: ThrottleRow, now: number, free: number): boolean {
  return row.failures > free || waitMs(row, now) > 0;
}
