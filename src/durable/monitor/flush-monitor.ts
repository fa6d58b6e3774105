// Knows which parents could not hand their rows to the flush queues, and the conflicts Postgres revealed,
// for /health/detailed. Parents report only when a push fails and when it drains again, so a healthy
// system sends it (almost) nothing.
import { DurableObject } from 'cloudflare:workers';
import type { FlushConflict, FlushConflictKind } from '../../db/flush-types';

/** A conflict as /health/detailed lists it (newest first). */
export interface ConflictView extends FlushConflict {
  at: string;
}

export interface FlushStatus {
  flushBacklog: number;
  parentsWaiting: number;
  lastError: string | null;
  oldestSince: string | null;
  /** All conflicts reported (both kinds). */
  conflicts: number;
  conflictsByKind: Record<FlushConflictKind, number>;
  recentConflicts: ConflictView[];
}

const RECENT_CONFLICTS = 20;

export class FlushMonitor extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS backlog (
      parent_qr TEXT PRIMARY KEY, size INTEGER NOT NULL, last_error TEXT, since INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS conflicts (
      event_id TEXT PRIMARY KEY, parent_qr TEXT NOT NULL, child_qr TEXT NOT NULL, existing_parent_qr TEXT, at INTEGER NOT NULL)`);
    // Event ids Postgres holds for a different event (kind event_id_reused); `conflicts` above keeps the
    // children Postgres has in another parent. One row per refused event: an id may be refused more than once.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS reused_ids (
      key TEXT PRIMARY KEY, event_id TEXT NOT NULL, parent_qr TEXT, child_qr TEXT, existing_parent_qr TEXT, detail TEXT, at INTEGER NOT NULL)`);
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
    const now = Date.now();
    for (const c of conflicts) {
      if (c.kind === 'event_id_reused') {
        const detail = JSON.stringify(c.detail ?? null);
        this.sql.exec(
          'INSERT OR IGNORE INTO reused_ids (key, event_id, parent_qr, child_qr, existing_parent_qr, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          `${c.eventId}|${JSON.stringify(c.detail?.refused ?? null)}`,
          c.eventId,
          c.parentQr,
          c.childQr,
          c.existingParentQr,
          detail,
          now,
        );
        continue;
      }
      this.sql.exec(
        'INSERT OR IGNORE INTO conflicts (event_id, parent_qr, child_qr, existing_parent_qr, at) VALUES (?, ?, ?, ?, ?)',
        c.eventId,
        c.parentQr ?? '',
        c.childQr ?? '',
        c.existingParentQr,
        now,
      );
    }
  }

  status(): FlushStatus {
    const row = this.sql
      .exec<{ total: number | null; n: number; oldest: number | null }>('SELECT sum(size) AS total, count(*) AS n, min(since) AS oldest FROM backlog')
      .one();
    const last = this.sql.exec<{ last_error: string | null }>('SELECT last_error FROM backlog ORDER BY updated_at DESC LIMIT 1').toArray()[0];
    const children = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM conflicts').one().n;
    const reused = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM reused_ids').one().n;
    return {
      flushBacklog: row.total ?? 0,
      parentsWaiting: row.n,
      lastError: last?.last_error ?? null,
      oldestSince: row.oldest === null ? null : new Date(row.oldest).toISOString(),
      conflicts: children + reused,
      conflictsByKind: { child_in_other_parent: children, event_id_reused: reused },
      recentConflicts: this.recentConflicts(),
    };
  }

  private recentConflicts(): ConflictView[] {
    return this.sql
      .exec<{ kind: string; event_id: string; parent_qr: string | null; child_qr: string | null; existing_parent_qr: string | null; detail: string | null; at: number }>(
        `SELECT 'child_in_other_parent' AS kind, event_id, parent_qr, child_qr, existing_parent_qr, NULL AS detail, at FROM conflicts
         UNION ALL
         SELECT 'event_id_reused', event_id, parent_qr, child_qr, existing_parent_qr, detail, at FROM reused_ids
         ORDER BY at DESC LIMIT ?`,
        RECENT_CONFLICTS,
      )
      .toArray()
      .map((r) => ({
        kind: r.kind as FlushConflictKind,
        eventId: r.event_id,
        parentQr: r.parent_qr,
        childQr: r.child_qr,
        existingParentQr: r.existing_parent_qr,
        detail: r.detail === null ? null : (JSON.parse(r.detail) as FlushConflict['detail']),
        at: new Date(r.at).toISOString(),
      }));
  }
}
