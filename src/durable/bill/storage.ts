// The BillSession's SQLite layout and the synchronous reads/writes on it. Writes with no await between
// them commit as one transaction, and the output gate holds the answer until they are durable.
import type { BillFlushEvent } from '../../db/bill-flush';
import type { BillParent, BillReturn, BillState, BillWeight } from './bill-logic';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS parents (
     qr TEXT PRIMARY KEY, added_at INTEGER NOT NULL, by_id INTEGER NOT NULL, by_name TEXT NOT NULL,
     child_count INTEGER NOT NULL, seq INTEGER NOT NULL)`,
  // What each parent last said about itself (state, capacity, area): its own table, so bills stored before it
  // existed load unchanged (the facts arrive with the next read of the parents).
  `CREATE TABLE IF NOT EXISTS parent_facts (qr TEXT PRIMARY KEY, status TEXT, capacity INTEGER, area_id INTEGER)`,
  // First answer to each scanId, so a repeated command returns it and changes nothing.
  `CREATE TABLE IF NOT EXISTS responses (scan_id TEXT PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)`,
  // Events waiting to be written to Postgres, in order.
  `CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)`,
  // A claim sent to a parent whose outcome is not recorded yet (written before the call goes out). If the
  // object dies in between, the constructor turns it into a release: nothing stays claimed by mistake.
  `CREATE TABLE IF NOT EXISTS claims_in_flight (qr TEXT PRIMARY KEY, version INTEGER NOT NULL)`,
  // Calls to parents that must still land: 'release' (taken off the bill) or 'freeze'/'thaw' (finalize, reopen).
  `CREATE TABLE IF NOT EXISTS parent_calls (qr TEXT PRIMARY KEY, kind TEXT NOT NULL, version INTEGER NOT NULL)`,
  // Parents return tickets took off this bill (issue 13), in order.
  `CREATE TABLE IF NOT EXISTS returned (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, qr TEXT NOT NULL, ticket_code TEXT NOT NULL, at INTEGER NOT NULL,
     child_count INTEGER NOT NULL, by_id INTEGER NOT NULL, by_name TEXT NOT NULL, bill_version INTEGER NOT NULL,
     UNIQUE (qr, ticket_code))`,
];

interface MetaV1 {
  v: 1;
  billNo: string;
  destination: string;
  vehicleNo: string;
  description: string | null;
  capacity: number;
  createdAt: number;
  createdById: number;
  createdByName: string;
  finalized: boolean;
  finalizedAt: number | null;
  finalizedBy: string | null;
  version: number;
  /** Added with issue 9; absent in bills stored before (read as not weighed). */
  weight?: BillWeight | null;
}

export type ParentCallKind = 'release' | 'freeze' | 'thaw';

export interface ParentCall {
  qr: string;
  kind: ParentCallKind;
  version: number;
}

export interface OutboxRow {
  seq: number;
  event: BillFlushEvent;
}

export class BillStorage {
  private seq = 0;

  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  loadState(): BillState | null {
    const row = this.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'bill'`).toArray()[0];
    if (!row) return null;
    const meta = JSON.parse(row.v) as MetaV1;
    const parents = new Map<string, BillParent>();
    const rows = this.sql
      .exec<{ qr: string; added_at: number; by_id: number; by_name: string; child_count: number; seq: number; status: string | null; capacity: number | null; area_id: number | null }>(
        `SELECT p.qr, p.added_at, p.by_id, p.by_name, p.child_count, p.seq, f.status, f.capacity, f.area_id
         FROM parents p LEFT JOIN parent_facts f ON f.qr = p.qr ORDER BY p.seq`,
      )
      .toArray();
    for (const r of rows) {
      const parent: BillParent = { qr: r.qr, addedAt: r.added_at, byId: r.by_id, byName: r.by_name, childCount: r.child_count };
      if (r.status === 'open' || r.status === 'completed') parent.status = r.status;
      if (r.capacity !== null) parent.capacity = r.capacity;
      if (r.area_id !== null) parent.areaId = r.area_id;
      parents.set(r.qr, parent);
      this.seq = Math.max(this.seq, r.seq);
    }
    const returned = this.sql
      .exec<{ qr: string; ticket_code: string; at: number; child_count: number; by_id: number; by_name: string; bill_version: number }>(
        'SELECT qr, ticket_code, at, child_count, by_id, by_name, bill_version FROM returned ORDER BY seq',
      )
      .toArray()
      .map((r): BillReturn => ({ qr: r.qr, ticketCode: r.ticket_code, at: r.at, childCount: r.child_count, byId: r.by_id, byName: r.by_name, billVersion: r.bill_version }));
    const { v: _v, weight, ...rest } = meta;
    return { ...rest, weight: weight ?? null, parents, returned };
  }

  saveMeta(state: BillState): void {
    const meta: MetaV1 = {
      v: 1,
      billNo: state.billNo,
      destination: state.destination,
      vehicleNo: state.vehicleNo,
      description: state.description,
      capacity: state.capacity,
      createdAt: state.createdAt,
      createdById: state.createdById,
      createdByName: state.createdByName,
      finalized: state.finalized,
      finalizedAt: state.finalizedAt,
      finalizedBy: state.finalizedBy,
      version: state.version,
      weight: state.weight,
    };
    this.sql.exec(`INSERT OR REPLACE INTO meta (k, v) VALUES ('bill', ?)`, JSON.stringify(meta));
  }

  saveParent(p: BillParent): void {
    const existing = this.sql.exec<{ seq: number }>('SELECT seq FROM parents WHERE qr = ?', p.qr).toArray()[0];
    this.sql.exec(
      'INSERT OR REPLACE INTO parents (qr, added_at, by_id, by_name, child_count, seq) VALUES (?, ?, ?, ?, ?, ?)',
      p.qr,
      p.addedAt,
      p.byId,
      p.byName,
      p.childCount,
      existing?.seq ?? ++this.seq,
    );
    if (p.status !== undefined || p.capacity !== undefined || p.areaId !== undefined) {
      this.sql.exec(
        'INSERT OR REPLACE INTO parent_facts (qr, status, capacity, area_id) VALUES (?, ?, ?, ?)',
        p.qr,
        p.status ?? null,
        p.capacity ?? null,
        p.areaId ?? null,
      );
    }
  }

  deleteParent(qr: string): void {
    this.sql.exec('DELETE FROM parents WHERE qr = ?', qr);
    this.sql.exec('DELETE FROM parent_facts WHERE qr = ?', qr);
  }

  /** A bill re-derived from Postgres: its header, parents and returned lines. */
  adopt(state: BillState): void {
    this.saveMeta(state);
    for (const p of state.parents.values()) this.saveParent(p);
    for (const r of state.returned) this.saveReturned(r);
  }

  saveReturned(r: BillReturn): void {
    this.sql.exec(
      'INSERT OR IGNORE INTO returned (qr, ticket_code, at, child_count, by_id, by_name, bill_version) VALUES (?, ?, ?, ?, ?, ?, ?)',
      r.qr,
      r.ticketCode,
      r.at,
      r.childCount,
      r.byId,
      r.byName,
      r.billVersion,
    );
  }


  enqueue(event: BillFlushEvent): void {
    this.sql.exec('INSERT INTO outbox (body) VALUES (?)', JSON.stringify(event));
  }

  readOutbox(limit: number): OutboxRow[] {
    return this.sql
      .exec<{ seq: number; body: string }>('SELECT seq, body FROM outbox ORDER BY seq LIMIT ?', limit)
      .toArray()
      .map((r) => ({ seq: r.seq, event: JSON.parse(r.body) as BillFlushEvent }));
  }

  outboxSize(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox').one().n;
  }

  deleteOutboxThrough(seq: number): void {
    this.sql.exec('DELETE FROM outbox WHERE seq <= ?', seq);
  }

  /**
   * A claim whose outcome was never recorded: the object died between asking the parent and storing the
   * answer. The parent may or may not be on this bill now; a release (older than any later claim, so it
   * cannot undo one) makes sure it is not left claimed by a bill that does not list it.
   */
  recoverClaimsInFlight(state: BillState | null): void {
    for (const { qr, version } of this.claimsInFlight()) {
      if (!state?.parents.has(qr)) this.addParentCall({ qr, kind: 'release', version });
      this.clearClaimInFlight(qr);
    }
  }

  markClaimInFlight(qr: string, version: number): void {
    this.sql.exec('INSERT OR REPLACE INTO claims_in_flight (qr, version) VALUES (?, ?)', qr, version);
  }

  clearClaimInFlight(qr: string): void {
    this.sql.exec('DELETE FROM claims_in_flight WHERE qr = ?', qr);
  }

  claimsInFlight(): Array<{ qr: string; version: number }> {
    return this.sql.exec<{ qr: string; version: number }>('SELECT qr, version FROM claims_in_flight').toArray();
  }

  /** One pending call per parent: a newer one (higher version) replaces the older. */
  addParentCall(call: ParentCall): void {
    this.sql.exec(
      `INSERT INTO parent_calls (qr, kind, version) VALUES (?, ?, ?)
       ON CONFLICT (qr) DO UPDATE SET kind = excluded.kind, version = excluded.version WHERE excluded.version >= parent_calls.version`,
      call.qr,
      call.kind,
      call.version,
    );
  }

  removeParentCall(qr: string, version: number): void {
    this.sql.exec('DELETE FROM parent_calls WHERE qr = ? AND version <= ?', qr, version);
  }

  parentCalls(): ParentCall[] {
    return this.sql
      .exec<{ qr: string; kind: string; version: number }>('SELECT qr, kind, version FROM parent_calls')
      .toArray()
      .map((r) => ({ qr: r.qr, kind: r.kind as ParentCallKind, version: r.version }));
  }
}
