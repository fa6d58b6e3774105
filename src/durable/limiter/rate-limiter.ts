// Fixed-window counters for abuse limits (sign-in attempts per IP and per username). Sharded by key, so
// one hot key never slows another; each hit is one synchronous SQLite upsert.
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

  /** Counts one attempt for `key`; allowed while the window holds at most `limit` attempts. */
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
    if (now - this.lastSweep > windowMs) {
      this.lastSweep = now;
      this.sql.exec('DELETE FROM hits WHERE window < ?', window - 1);
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    return { allowed: n <= limit, remaining: Math.max(0, limit - n), retryAfterSeconds };
  }
}
