// One shard of the QR registry: decides, exactly once, which parent a child belongs to and which role a
// QR has. Each call is a few synchronous SQLite statements with no await, so the object's input gate
// makes concurrent claims for the same child strictly sequential.
import { DurableObject } from 'cloudflare:workers';
import type { ErrorBody } from '../../shared/errors';
import type { QrRole } from '../../shared/qr';

export type ClaimResult =
  | { ok: true; alreadyMine: boolean }
  | { ok: false; error: ErrorBody };

export type RegisterParentResult = { ok: true; known: boolean } | { ok: false; error: ErrorBody };

export interface RegistryEntry {
  qr: string;
  role: QrRole;
  parentQr: string | null;
}

interface Row extends Record<string, SqlStorageValue> {
  role: string;
  parent_qr: string | null;
}

export class QrRegistry extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS qrs (
      qr TEXT PRIMARY KEY,
      role TEXT NOT NULL,
      parent_qr TEXT,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID`);
  }

  private row(qr: string): Row | undefined {
    return this.sql.exec<Row>('SELECT role, parent_qr FROM qrs WHERE qr = ?', qr).toArray()[0];
  }

  /** Records `qr` as a parent; `known` says it was one already (its state may live in Postgres). */
  registerParent(qr: string): RegisterParentResult {
    const row = this.row(qr);
    if (row?.role === 'child') {
      return { ok: false, error: { code: 'QR_ROLE_CONFLICT', message: `${qr} is a child bag and cannot be opened as a parent.` } };
    }
    if (row) return { ok: true, known: true };
    this.sql.exec('INSERT INTO qrs (qr, role, parent_qr, updated_at) VALUES (?, ?, NULL, ?)', qr, 'parent', Date.now());
    return { ok: true, known: false };
  }

  /** Puts `childQr` in `parentQr` unless it already sits in another parent or is a parent itself. */
  claimChild(childQr: string, parentQr: string): ClaimResult {
    const row = this.row(childQr);
    if (row?.role === 'parent') {
      return { ok: false, error: { code: 'QR_ROLE_CONFLICT', message: `${childQr} is a parent bag, not a child.` } };
    }
    if (row?.parent_qr) {
      if (row.parent_qr === parentQr) return { ok: true, alreadyMine: true };
      return {
        ok: false,
        error: { code: 'CHILD_IN_OTHER_PARENT', message: `${childQr} is already in ${row.parent_qr}.`, parentQr: row.parent_qr },
      };
    }
    this.sql.exec(
      `INSERT INTO qrs (qr, role, parent_qr, updated_at) VALUES (?, 'child', ?, ?)
       ON CONFLICT (qr) DO UPDATE SET parent_qr = excluded.parent_qr, updated_at = excluded.updated_at`,
      childQr,
      parentQr,
      Date.now(),
    );
    return { ok: true, alreadyMine: false };
  }

  /**
   * Moves a child from a parent that turned out not to hold it (it died between claiming and linking)
   * to a new one, only if the stale parent still owns the claim: decided exactly once like any claim.
   */
  reassignChild(childQr: string, fromParentQr: string, toParentQr: string): ClaimResult {
    const cursor = this.sql.exec(
      `UPDATE qrs SET parent_qr = ?, updated_at = ? WHERE qr = ? AND role = 'child' AND parent_qr = ?`,
      toParentQr,
      Date.now(),
      childQr,
      fromParentQr,
    );
    if (cursor.rowsWritten > 0) return { ok: true, alreadyMine: false };
    return this.claimChild(childQr, toParentQr);
  }

  /** Frees a child, but only from the parent that holds it (a late release must not free a new claim). */
  releaseChild(childQr: string, parentQr: string): boolean {
    const cursor = this.sql.exec(
      `UPDATE qrs SET parent_qr = NULL, updated_at = ? WHERE qr = ? AND role = 'child' AND parent_qr = ?`,
      Date.now(),
      childQr,
      parentQr,
    );
    return cursor.rowsWritten > 0;
  }

  /**
   * Frees a parent label (an admin deleted the empty parent): a later open registers it as new. Only a
   * parent entry goes; the parent's object has checked that no child ever named it.
   */
  forgetParent(qr: string): boolean {
    return this.sql.exec(`DELETE FROM qrs WHERE qr = ? AND role = 'parent'`, qr).rowsWritten > 0;
  }

  lookup(qr: string): RegistryEntry | null {
    const row = this.row(qr);
    return row ? { qr, role: row.role as QrRole, parentQr: row.parent_qr } : null;
  }

  /** Rebuild from Postgres: Postgres is the record, so its entries replace what the shard had. */
  importEntries(entries: RegistryEntry[]): number {
    const now = Date.now();
    for (const e of entries) {
      this.sql.exec(
        `INSERT INTO qrs (qr, role, parent_qr, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (qr) DO UPDATE SET role = excluded.role, parent_qr = excluded.parent_qr, updated_at = excluded.updated_at`,
        e.qr,
        e.role,
        e.parentQr,
        now,
      );
    }
    return entries.length;
  }
}
