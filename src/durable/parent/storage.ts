// The ParentSession's SQLite layout and the synchronous reads/writes on it. Every write here is
// synchronous, so a group of them with no await in between commits as one transaction, and the
// output gate holds the ack until it is durable.
import type { LinkChange, ScanRecord } from '../../db/flush-types';
import type { ChildEntry, ParentState } from './parent-logic';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS children (
     qr TEXT PRIMARY KEY, linked_at INTEGER NOT NULL, by_id INTEGER NOT NULL, by_name TEXT NOT NULL,
     scan_id TEXT NOT NULL, seq INTEGER NOT NULL)`,
  // First answers to each scanId: the `responses` table of kit/scan-answers.ts.
  // Rows waiting to be flushed to Postgres, in acceptance order.
  `CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, body TEXT NOT NULL)`,
  // Registry releases that must still be sent (the registry was unreachable when the child left).
  `CREATE TABLE IF NOT EXISTS pending_releases (child_qr TEXT PRIMARY KEY, at INTEGER NOT NULL)`,
];

/** The persisted shape of the session header; versioned so it can evolve. */
interface MetaV1 {
  v: 1;
  qr: string;
  areaId: number;
  capacity: number;
  status: ParentState['status'];
  createdById: number;
  createdAt: number;
  completedAt: number | null;
  /** Added later: absent in older stored sessions. */
  completedById?: number | null;
  billNo: string | null;
  billFinalized: boolean;
  /** Added with bills; absent in metas written before. */
  billVersion?: number;
  /** Added with returns (issue 13). */
  returned?: ParentState['returned'];
  version: number;
}

type OutboxKind = 'change' | 'scan' | 'snapshot';

export interface OutboxRow {
  seq: number;
  kind: OutboxKind;
  body: string;
}

/** Who asked to delete this parent and when (meta 'deleting'): the object finishes a deletion it crashed in. */
export interface DeletionMark {
  byId: number;
  byName: string;
  requestId: string | null;
  at: number;
}

export class ParentStorage {
  private seq = 0;
  /**
   * The pending_releases table mirrored in memory (read once, then kept in step by the two writers below):
   * every link asks to drop its child's row and every push lists them, and nearly always there is none, so
   * the mirror saves a DELETE per scan and a SELECT per push. A commit that fails breaks the object, and
   * this copy goes with it.
   */
  private pending: Set<string> | null = null;
  /** Meta 'history' is set: the object accepted or refused a scan into this parent at least once. */
  private scanned: boolean | null = null;

  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  loadState(): ParentState | null {
    const metaRow = this.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'session'`).toArray()[0];
    if (!metaRow) return null;
    const meta = JSON.parse(metaRow.v) as MetaV1;
    const children = new Map<string, ChildEntry>();
    const rows = this.sql
      .exec<{ qr: string; linked_at: number; by_id: number; by_name: string; scan_id: string; seq: number }>(
        'SELECT qr, linked_at, by_id, by_name, scan_id, seq FROM children ORDER BY seq',
      )
      .toArray();
    for (const r of rows) {
      children.set(r.qr, { qr: r.qr, linkedAt: r.linked_at, byId: r.by_id, byName: r.by_name, scanId: r.scan_id });
      this.seq = Math.max(this.seq, r.seq);
    }
    return {
      qr: meta.qr,
      areaId: meta.areaId,
      capacity: meta.capacity,
      status: meta.status,
      createdById: meta.createdById,
      createdAt: meta.createdAt,
      completedAt: meta.completedAt,
      completedById: meta.completedById ?? null,
      children,
      billNo: meta.billNo,
      billFinalized: meta.billFinalized,
      billVersion: meta.billVersion ?? 0,
      returned: meta.returned ?? null,
      version: meta.version,
    };
  }

  saveMeta(state: ParentState): void {
    const meta: MetaV1 = {
      v: 1,
      qr: state.qr,
      areaId: state.areaId,
      capacity: state.capacity,
      status: state.status,
      createdById: state.createdById,
      createdAt: state.createdAt,
      completedAt: state.completedAt,
      completedById: state.completedById ?? null,
      billNo: state.billNo,
      billFinalized: state.billFinalized,
      billVersion: state.billVersion,
      returned: state.returned ?? null,
      version: state.version,
    };
    this.sql.exec(`INSERT OR REPLACE INTO meta (k, v) VALUES ('session', ?)`, JSON.stringify(meta));
  }

  insertChild(child: ChildEntry): void {
    this.sql.exec(
      'INSERT OR REPLACE INTO children (qr, linked_at, by_id, by_name, scan_id, seq) VALUES (?, ?, ?, ?, ?, ?)',
      child.qr,
      child.linkedAt,
      child.byId,
      child.byName,
      child.scanId,
      ++this.seq,
    );
  }

  deleteChild(childQr: string): void {
    this.sql.exec('DELETE FROM children WHERE qr = ?', childQr);
  }

  enqueueChange(change: LinkChange): void {
    this.sql.exec(`INSERT INTO outbox (kind, body) VALUES ('change', ?)`, JSON.stringify(change));
  }

  enqueueScan(scan: ScanRecord): void {
    this.sql.exec(`INSERT INTO outbox (kind, body) VALUES ('scan', ?)`, JSON.stringify(scan));
    if (!this.hasHistory()) this.markHistory();
  }

  /**
   * Whether this object ever recorded a scan into its parent (linked, duplicate or refused): such a parent
   * has history and cannot be deleted. Set once, with the first scan's outbox row (same transaction). Objects
   * stored before the mark existed answer false; their scans are long in Postgres, which is checked too.
   */
  hasHistory(): boolean {
    this.scanned ??= this.sql.exec(`SELECT 1 FROM meta WHERE k = 'history'`).toArray().length > 0;
    return this.scanned;
  }

  private markHistory(): void {
    this.sql.exec(`INSERT OR REPLACE INTO meta (k, v) VALUES ('history', '1')`);
    this.scanned = true;
  }

  deletionMark(): DeletionMark | null {
    const row = this.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'deleting'`).toArray()[0];
    return row ? (JSON.parse(row.v) as DeletionMark) : null;
  }

  markDeleting(mark: DeletionMark): void {
    this.sql.exec(`INSERT OR REPLACE INTO meta (k, v) VALUES ('deleting', ?)`, JSON.stringify(mark));
  }

  clearDeleting(): void {
    this.sql.exec(`DELETE FROM meta WHERE k = 'deleting'`);
  }

  /** The parent was deleted: nothing of it stays here, so a reopen of the label starts a new parent. */
  forgetAll(): void {
    for (const table of ['meta', 'children', 'outbox', 'pending_releases']) this.sql.exec(`DELETE FROM ${table}`);
    this.seq = 0;
    this.scanned = false;
    this.pending = new Set();
  }

  /** Marks that the parent header changed (opened, completed, bill) so the next flush carries it. */
  enqueueSnapshot(): void {
    this.sql.exec(`INSERT INTO outbox (kind, body) VALUES ('snapshot', '{}')`);
  }

  readOutbox(limit: number): OutboxRow[] {
    return this.sql.exec<{ seq: number; kind: string; body: string }>('SELECT seq, kind, body FROM outbox ORDER BY seq LIMIT ?', limit)
      .toArray()
      .map((r) => ({ seq: r.seq, kind: r.kind as OutboxKind, body: r.body }));
  }

  outboxSize(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox').one().n;
  }

  deleteOutboxThrough(seq: number): void {
    this.sql.exec('DELETE FROM outbox WHERE seq <= ?', seq);
  }

  /** A state taken over from Postgres or newly opened: its children, header and a snapshot for the flush. */
  adopt(state: ParentState): void {
    for (const child of state.children.values()) this.insertChild(child);
    this.saveMeta(state);
    this.enqueueSnapshot();
  }

  /** A child linked: the child, the header and the link event, one transaction with the ack. */
  linked(state: ParentState, child: ChildEntry, change: LinkChange): void {
    this.insertChild(child);
    this.removePendingRelease(child.qr);
    this.saveMeta(state);
    this.enqueueChange(change);
  }

  /** A child removed: durable here first; the registry release is stored to follow (retried until it lands). */
  unlinked(state: ParentState, change: LinkChange, now: number): void {
    this.deleteChild(change.childQr);
    this.saveMeta(state);
    this.enqueueChange(change);
    this.addPendingRelease(change.childQr, now);
  }

  addPendingRelease(childQr: string, now: number): void {
    this.sql.exec('INSERT OR REPLACE INTO pending_releases (child_qr, at) VALUES (?, ?)', childQr, now);
    this.pendingSet().add(childQr);
  }

  removePendingRelease(childQr: string): void {
    const pending = this.pendingSet();
    if (!pending.has(childQr)) return;
    this.sql.exec('DELETE FROM pending_releases WHERE child_qr = ?', childQr);
    pending.delete(childQr);
  }

  pendingReleases(): string[] {
    return [...this.pendingSet()];
  }

  private pendingSet(): Set<string> {
    this.pending ??= new Set(this.sql.exec<{ child_qr: string }>('SELECT child_qr FROM pending_releases').toArray().map((r) => r.child_qr));
    return this.pending;
  }
}
