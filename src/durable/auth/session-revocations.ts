// Sessions that ended before their token expired: signed out (by session id) or cut off for a whole
// user (deactivated, password changed: every session issued before the cutoff). Workers and objects
// keep a copy of this list and refresh it at most every REVOCATION_REFRESH_SECONDS, so a sign-out
// takes effect everywhere within that time without a database round trip on any request.
import { DurableObject } from 'cloudflare:workers';

export interface RevocationList {
  sessions: string[];
  users: Array<{ userId: number; cutoff: number }>;
}

/** Per-user cutoffs outlive any token issued before them (tokens live at most this long). */
const USER_CUTOFF_KEEP_MS = 7 * 24 * 3600_000;

export class SessionRevocations extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec('CREATE TABLE IF NOT EXISTS revoked_sessions (sid TEXT PRIMARY KEY, exp INTEGER NOT NULL)');
    this.sql.exec('CREATE TABLE IF NOT EXISTS user_cutoffs (user_id INTEGER PRIMARY KEY, cutoff INTEGER NOT NULL)');
  }

  revokeSession(sid: string, exp: number): void {
    this.sql.exec('INSERT OR REPLACE INTO revoked_sessions (sid, exp) VALUES (?, ?)', sid, exp);
  }

  revokeUser(userId: number, cutoff = Date.now()): void {
    this.sql.exec('INSERT OR REPLACE INTO user_cutoffs (user_id, cutoff) VALUES (?, ?)', userId, cutoff);
  }

  list(): RevocationList {
    const now = Date.now();
    // Expired tokens are refused anyway: keep the list as small as what it must still stop.
    this.sql.exec('DELETE FROM revoked_sessions WHERE exp < ?', now);
    this.sql.exec('DELETE FROM user_cutoffs WHERE cutoff < ?', now - USER_CUTOFF_KEEP_MS);
    return {
      sessions: this.sql.exec<{ sid: string }>('SELECT sid FROM revoked_sessions').toArray().map((r) => r.sid),
      users: this.sql.exec<{ user_id: number; cutoff: number }>('SELECT user_id, cutoff FROM user_cutoffs').toArray().map((r) => ({ userId: r.user_id, cutoff: r.cutoff })),
    };
  }
}
