// EmptyParentLedger: one per user (stubs.ts), the empty-parent cap's count (EMPTY_PARENTS_PER_USER) kept
// next to the objects instead of counted in Postgres on every new open (issue 15: that count waited for a
// PgReader, a TCP probe and a connection on the open path, and timed out under load).
//
// It holds the labels the user opened and Postgres' list of the user's open parents without a child, and
// answers `reserve` from memory; a parent tells its creator's ledger when it gets its first child. Postgres is read when the ledger first serves a user (then stored here),
// in the background once the user holds 3/4 of the cap, and before it would refuse, so a refusal is always
// checked against the record: labels that got children since drop out, labels opened in the last ten
// minutes stay (their rows may still be on the way). Reserves are decided one at a time (no await between
// the decision and the write), so parallel opens by one user cannot pass the cap together, which the
// Postgres count let them do.
import { DurableObject } from 'cloudflare:workers';
import { driverFor } from '../../db/client';
import { EMPTY_OPEN_PARENTS_SQL, emptyOpenParentQrs } from '../../db/parents';
import type { ReadResult } from '../reader/pg-reader';
import { readerFor } from '../stubs';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { decide, merged, wantsRefresh, type Entries } from './empty-parent-rules';
import { errorFields, log } from '../../observability/log';

export type ReserveResult = { ok: true } | { ok: false; held: number; limit: number };

/** Labels read from Postgres at most: the largest cap the setting allows. */
const MAX_LISTED = 100_000;

export class EmptyParentLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private entries: Entries = new Map();
  private loaded = false;
  private userId: number | null = null;
  private lastRefreshAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec('CREATE TABLE IF NOT EXISTS entries (qr TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID');
    this.sql.exec('CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID');
    for (const row of this.sql.exec<{ qr: string; at: number }>('SELECT qr, at FROM entries')) this.entries.set(row.qr, row.at);
    for (const row of this.sql.exec<{ k: string; v: number }>('SELECT k, v FROM meta')) {
      if (row.k === 'user') this.userId = row.v;
      if (row.k === 'refreshed') {
        this.loaded = true;
        this.lastRefreshAt = row.v;
      }
    }
  }

  /**
   * May `userId` open `qr` as a new label? Counts it when yes. Throws when Postgres is needed and cannot be
   * asked (the caller then opens without the cap, as before: the cap guards against squatting and must not
   * stop a floor whose database is briefly away).
   */
  async reserve(userId: number, qr: string, cap: number): Promise<ReserveResult> {
    this.remember(userId);
    if (!this.loaded) await this.refresh();
    let decision = decide(this.entries, qr, cap);
    if (decision.kind === 'full') {
      await this.refresh();
      decision = decide(this.entries, qr, cap);
    }
    if (decision.kind === 'full') return { ok: false, held: decision.held, limit: cap };
    if (decision.kind === 'add') {
      const now = Date.now();
      this.entries.set(qr, now);
      this.sql.exec('INSERT OR REPLACE INTO entries (qr, at) VALUES (?, ?)', qr, now);
    }
    if (wantsRefresh(this.entries.size, cap, this.lastRefreshAt, Date.now())) await this.ctx.storage.setAlarm(Date.now());
    return { ok: true };
  }

  /** A parent of this user got its first child: it no longer counts (told by its ParentSession, once). */
  filled(qr: string): void {
    if (!this.entries.delete(qr)) return;
    this.sql.exec('DELETE FROM entries WHERE qr = ?', qr);
  }

  /** An admin deleted this user's empty parent: it no longer counts (and a reopen counts afresh). */
  forget(qr: string): void {
    this.filled(qr);
  }

  /** How many labels count against the user now (admin views, tests). */
  held(): number {
    return this.entries.size;
  }

  override async alarm(): Promise<void> {
    await this.refresh().catch((err) => log.warn('empty-parent ledger refresh failed', { object: 'EmptyParentLedger', userId: this.userId, ...errorFields(err) }));
  }

  private remember(userId: number): void {
    if (this.userId === userId) return;
    this.userId = userId;
    this.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('user', ?)", userId);
  }

  /** Postgres' list merged with the recent reserves; one read at a time, whoever asked. */
  private refresh(): Promise<void> {
    this.refreshing ??= this.readPostgres().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Over TCP through a PgReader object (kept connections, like the read side); with neon-http, one query. */
  private async listed(userId: number): Promise<string[]> {
    const s = settings(this.env);
    if (driverFor(s) === 'postgres-js' && s.READ_VIA_OBJECT) {
      const result = (await readerFor(this.env).query(EMPTY_OPEN_PARENTS_SQL, [userId, MAX_LISTED])) as ReadResult;
      if (!result.ok) throw new Error(result.message);
      return result.rows.map((r) => String(r.qr));
    }
    return withDb(s, (db) => emptyOpenParentQrs(db, userId, MAX_LISTED));
  }

  private async readPostgres(): Promise<void> {
    if (this.userId === null) return;
    const userId = this.userId;
    const listed = await this.listed(userId);
    const now = Date.now();
    // Reserves that arrived while Postgres was being read are recent, so merged() keeps them.
    this.entries = merged(this.entries, listed, now);
    this.loaded = true;
    this.lastRefreshAt = now;
    this.sql.exec('DELETE FROM entries');
    for (const [qr, at] of this.entries) this.sql.exec('INSERT INTO entries (qr, at) VALUES (?, ?)', qr, at);
    this.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('refreshed', ?)", now);
  }
}
