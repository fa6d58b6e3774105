// Abuse limits, sharded by key so one hot key never slows another:
// - `hit`: sliding-window counters (the current window's count plus the previous window's, weighted by how
//   much of it still overlaps the last `windowSeconds`; a plain fixed window let 2 × limit through around
//   a window boundary). Each hit is one synchronous SQLite upsert and one read.
// - sign-in throttling (rules in sign-in-throttle.ts): failures per (username, network) and per network,
//   with growing waits. Both rows of one network live in the same object (the caller shards by network),
//   so checking and counting them is one call and one implicit transaction.
import { DurableObject } from 'cloudflare:workers';
import {
  decayed,
  isThrottled,
  waitMs,
  withFailure,
  withoutFailure,
  type ThrottlePolicy,
  type ThrottleRow,
} from './sign-in-throttle';

export interface LimitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

/** What `beginSignIn` counted, handed back to `settleSignIn` when the password was right. */
export interface SignInTicket {
  network: string;
  username: string;
  countedAt: number;
  accountBefore: ThrottleRow;
  networkBefore: ThrottleRow;
}

export type SignInStart = { allowed: true; ticket: SignInTicket } | { allowed: false; retryAfterSeconds: number };

/**
 * `success`: signed in (the username's failures from this network are cleared, the network's attempt given
 * back). `not_a_guess`: the password was right but no session followed (a TOTP code still to come, a
 * deactivated account): the attempt is given back on both keys.
 */
export type SignInOutcome = 'success' | 'not_a_guess';

export interface ThrottleEntry {
  /** Opaque, ordered: the keyset cursor of the admin list. */
  key: string;
  scope: 'account' | 'network';
  network: string;
  /** Lower-cased as typed; null for a network entry. */
  username: string | null;
  failures: number;
  lastFailureAt: string;
  /** When the next attempt is allowed; null when it is allowed now (the next failure still waits). */
  blockedUntil: string | null;
}

interface StoredRow extends ThrottleRow {
  key: string;
  network: string;
  username: string | null;
}

const networkKey = (network: string) => `n|${network}`;
const accountKey = (network: string, username: string) => `a|${network}|${username}`;

export class RateLimiter extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private lastSweep = 0;
  private lastThrottleSweep = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, window INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, window)) WITHOUT ROWID`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS sign_in_failures (
      key TEXT PRIMARY KEY, network TEXT NOT NULL, username TEXT,
      failures INTEGER NOT NULL, last_failure_ms INTEGER NOT NULL, blocked_until_ms INTEGER NOT NULL) WITHOUT ROWID`);
  }

  /** Counts one attempt for `key`; allowed while the sliding window holds at most `limit` attempts. */
  hit(key: string, limit: number, windowSeconds: number): LimitResult {
    const now = Date.now();
    const windowMs = windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const n = this.sql
      .exec<{ n: number }>(
        'INSERT INTO hits (key, window, n) VALUES (?, ?, 1) ON CONFLICT (key, window) DO UPDATE SET n = n + 1 RETURNING n',
        key,
        window,
      )
      .one().n;
    const previous =
      this.sql.exec<{ n: number }>('SELECT n FROM hits WHERE key = ? AND window = ?', key, window - 1).toArray()[0]?.n ?? 0;
    const overlap = 1 - (now - window * windowMs) / windowMs;
    const count = n + previous * overlap;
    if (now - this.lastSweep > windowMs) {
      this.lastSweep = now;
      this.sql.exec('DELETE FROM hits WHERE window < ?', window - 1);
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    return { allowed: count <= limit, remaining: Math.max(0, Math.floor(limit - count)), retryAfterSeconds };
  }

  // ---------------------------------------------------------------- sign-in throttling

  /**
   * Before a password is checked: refused while the network is over its attempts per minute or either key
   * waits (no failure counted then); otherwise the attempt is counted as a failure on both keys at once and
   * given back by `settleSignIn` if it was not one.
   */
  beginSignIn(network: string, username: string, policy: ThrottlePolicy, attemptsPerMinute: number): SignInStart {
    // Every attempt, right or wrong, counts towards the network's cap on password-hashing work.
    const flood = this.hit(`sign-in-flood:${network}`, attemptsPerMinute, 60);
    if (!flood.allowed) return { allowed: false, retryAfterSeconds: flood.retryAfterSeconds };
    const now = Date.now();
    this.sweepThrottles(now, policy.memoryMs);
    const accountBefore = decayed(this.row(accountKey(network, username)), now, policy.memoryMs);
    const networkBefore = decayed(this.row(networkKey(network)), now, policy.memoryMs);
    const wait = Math.max(waitMs(accountBefore, now), waitMs(networkBefore, now));
    if (wait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000) };
    this.store(accountKey(network, username), network, username, withFailure(accountBefore, now, policy.accountFreeFailures, policy));
    this.store(networkKey(network), network, null, withFailure(networkBefore, now, policy.networkFreeFailures, policy));
    return { allowed: true, ticket: { network, username, countedAt: now, accountBefore, networkBefore } };
  }

  /** After a right password: gives the counted attempt back (and clears the account key on success). */
  settleSignIn(ticket: SignInTicket, outcome: SignInOutcome): void {
    const { network, username, countedAt } = ticket;
    const account = accountKey(network, username);
    if (outcome === 'success') {
      this.sql.exec('DELETE FROM sign_in_failures WHERE key = ?', account);
    } else {
      const row = this.row(account);
      if (row) this.store(account, network, username, withoutFailure(row, countedAt, ticket.accountBefore));
    }
    const net = this.row(networkKey(network));
    if (net) this.store(networkKey(network), network, null, withoutFailure(net, countedAt, ticket.networkBefore));
  }

  /** Throttled keys of this shard in key order, after `afterKey`; optionally only one username or network. */
  listThrottled(filter: { afterKey?: string; username?: string; network?: string; limit: number }, policy: ThrottlePolicy): ThrottleEntry[] {
    const now = Date.now();
    const out: ThrottleEntry[] = [];
    const rows = this.sql.exec<Record<string, string | number | null>>(
      `SELECT key, network, username, failures, last_failure_ms, blocked_until_ms FROM sign_in_failures
       WHERE key > ? AND (? IS NULL OR username = ?) AND (? IS NULL OR network = ?) AND last_failure_ms >= ?
       ORDER BY key`,
      filter.afterKey ?? '',
      filter.username ?? null,
      filter.username ?? null,
      filter.network ?? null,
      filter.network ?? null,
      now - policy.memoryMs,
    );
    for (const raw of rows) {
      const row = toStored(raw);
      const free = row.username === null ? policy.networkFreeFailures : policy.accountFreeFailures;
      if (!isThrottled(row, now, free)) continue;
      out.push({
        key: row.key,
        scope: row.username === null ? 'network' : 'account',
        network: row.network,
        username: row.username,
        failures: row.failures,
        lastFailureAt: new Date(row.lastFailureMs).toISOString(),
        blockedUntil: waitMs(row, now) > 0 ? new Date(row.blockedUntilMs).toISOString() : null,
      });
      if (out.length >= filter.limit) break;
    }
    return out;
  }

  /**
   * An admin's clear: every key of `username` (all networks of this shard), of `network` (its own key and
   * its usernames' keys), or the one (username, network) key. Returns how many throttled keys it cleared.
   */
  clearThrottles(filter: { username?: string; network?: string }, policy: ThrottlePolicy): number {
    const matching = this.listThrottled({ ...filter, limit: Number.MAX_SAFE_INTEGER }, policy);
    const { username, network } = filter;
    if (username !== undefined && network !== undefined) {
      this.sql.exec('DELETE FROM sign_in_failures WHERE key = ?', accountKey(network, username));
    } else if (username !== undefined) {
      this.sql.exec('DELETE FROM sign_in_failures WHERE username = ?', username);
    } else if (network !== undefined) {
      this.sql.exec('DELETE FROM sign_in_failures WHERE network = ?', network);
    }
    return matching.length;
  }

  private row(key: string): StoredRow | null {
    const raw = this.sql
      .exec<Record<string, string | number | null>>(
        'SELECT key, network, username, failures, last_failure_ms, blocked_until_ms FROM sign_in_failures WHERE key = ?',
        key,
      )
      .toArray()[0];
    return raw ? toStored(raw) : null;
  }

  private store(key: string, network: string, username: string | null, row: ThrottleRow): void {
    this.sql.exec(
      `INSERT INTO sign_in_failures (key, network, username, failures, last_failure_ms, blocked_until_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_ms = excluded.last_failure_ms, blocked_until_ms = excluded.blocked_until_ms`,
      key,
      network,
      username,
      row.failures,
      row.lastFailureMs,
      row.blockedUntilMs,
    );
  }

  /** Forgotten keys go, at most once a minute (a spray of made-up usernames must not pile up). */
  private sweepThrottles(now: number, memoryMs: number): void {
    if (now - this.lastThrottleSweep < 60_000) return;
    this.lastThrottleSweep = now;
    this.sql.exec('DELETE FROM sign_in_failures WHERE last_failure_ms < ? AND blocked_until_ms < ?', now - memoryMs, now);
  }
}

function toStored(raw: Record<string, string | number | null>): StoredRow {
  return {
    key: String(raw.key),
    network: String(raw.network),
    username: raw.username === null ? null : String(raw.username),
    failures: Number(raw.failures),
    lastFailureMs: Number(raw.last_failure_ms),
    blockedUntilMs: Number(raw.blocked_until_ms),
  };
}
