// Sliding-window counters for abuse limits (sign-in attempts per IP and per username): the current
// window's count plus the previous window's, weighted by how much of it still overlaps the last
// `windowSeconds`. (A plain fixed window let 2 × limit through around a window boundary.) Sharded by
// key, so one hot key never slows another; each hit is one synchronous SQLite upsert and one read.
import { DurableObject } from 'cloudflare:workers';

export interface LimitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

export class RateLimiter extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private lastSweep = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, window INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, window)) WITHOUT ROWID`);
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
}
