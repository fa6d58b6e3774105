// Knows which parents could not hand their rows to the flush queues, and the conflicts Postgres revealed,
// for /health/detailed. Parents report only when a push fails and when it drains again, so a healthy
// system sends it (almost) nothing.
import { DurableObject } from 'cloudflare:workers';
import type { FlushConflict } from '../../worker/db/flush-types';

export interface FlushStatus {
  flushBacklog: number;
  parentsWaiting: number;
  lastError: string | null;
  oldestSince: string | null;
  conflicts: number;
}

export class FlushMonitor extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS backlog (
      parent_qr TEXT PRIMARY KEY, size INTEGER NOT NULL, last_error TEXT, since INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS conflicts (
      event_id TEXT PRIMARY KEY, parent_qr TEXT NOT NULL, child_qr TEXT NOT NULL, existing_parent_qr TEXT, at INTEGER NOT NULL)`);
  }

  report(parentQr: string, size: number, error: string | null): void {
    const now = Date.now();
    if (size <= 0) {
      this.sql.exec('DELETE FROM backlog WHERE parent_qr = ?', parentQr);
      return;
    }
    this.sql.exec(
      `INSERT INTO backlog (parent_qr, size, last_error, since, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (parent_qr) DO UPDATE SET size = excluded.size, last_error = excluded.last_error, updated_at = excluded.updated_at`,
      parentQr,
      size,
      error,
      now,
      now,
    );
  }

  reportConflicts(conflicts: FlushConflict[]): void {
    for (const c of conflicts) {
      this.sql.exec(
        'INSERT OR IGNORE INTO conflicts (event_id, parent_qr, child_qr, existing_parent_qr, at) VALUES (?, ?, ?, ?, ?)',
        c.eventId,
        c.parentQr,
        c.childQr,
        c.existingParentQr,
        Date.now(),
      );
    }
  }

  status(): FlushStatus {
    const row = this.sql
      .exec<{ total: number | null; n: number; oldest: number | null }>('SELECT sum(size) AS total, count(*) AS n, min(since) AS oldest FROM backlog')
      .one();
    const last = this.sql.exec<{ last_error: string | null }>('SELECT last_error FROM backlog ORDER BY updated_at DESC LIMIT 1').toArray()[0];
    const conflicts = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM conflicts').one().n;
    return {
      flushBacklog: row.total ?? 0,
      parentsWaiting: row.n,
      lastError: last?.last_error ?? null,
      oldestSince: row.oldest === null ? null : new Date(row.oldest).toISOString(),
      conflicts,
    };
  }
}
