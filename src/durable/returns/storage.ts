// The ReturnTicket's SQLite layout and its synchronous reads/writes. Writes with no await between them commit
// as one transaction, and the output gate holds the answer until they are durable.
import type { AuditMeta } from '../../db/audit';
import type { ReturnFlushEvent } from '../../db/return-flush';
import type { SessionUser } from '../../shared/types';
import type { TicketParent, TicketState } from './return-logic';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS parents (
     qr TEXT PRIMARY KEY, bill_no TEXT NOT NULL, bill_finalized INTEGER NOT NULL, child_count INTEGER NOT NULL,
     area_id INTEGER, returned_at INTEGER NOT NULL, by_id INTEGER NOT NULL, by_name TEXT NOT NULL, seq INTEGER NOT NULL)`,
  // Events waiting to be written to Postgres, in order.
  `CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)`,
  // A return asked of a parent whose answer is not recorded yet (written before the call goes out). If the
  // object dies in between, the alarm asks the parent again (the same ticket gets the same answer) and
  // records the return: a parent is never off its bill without its ticket listing it.
  `CREATE TABLE IF NOT EXISTS takes_in_flight (qr TEXT PRIMARY KEY, body TEXT NOT NULL)`,
  // Bills that must still learn that a parent was returned from them (retried until they answer).
  `CREATE TABLE IF NOT EXISTS bill_calls (qr TEXT PRIMARY KEY, body TEXT NOT NULL)`,
];

interface MetaV1 {
  v: 1;
  code: string;
  areaId: number;
  notes: string | null;
  status: TicketState['status'];
  createdAt: number;
  createdById: number;
  createdByName: string;
  closedAt: number | null;
  closedById: number | null;
  closedByName: string | null;
}

export interface OutboxRow {
  seq: number;
  event: ReturnFlushEvent;
}

/** A take in flight: who scanned, with which scanId, so a recovered take is recorded as theirs. */
export interface TakeInFlight {
  qr: string;
  scanId: string;
  user: SessionUser;
  audit: AuditMeta;
}

export interface BillCall {
  qr: string;
  billNo: string;
  childCount: number;
  at: number;
  billVersion: number;
  user: SessionUser;
  audit: AuditMeta;
}

export class ReturnStorage {
  private seq = 0;

  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  loadState(): TicketState | null {
    const row = this.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'ticket'`).toArray()[0];
    if (!row) return null;
    const { v: _v, ...meta } = JSON.parse(row.v) as MetaV1;
    const parents = new Map<string, TicketParent>();
    const rows = this.sql
      .exec<{ qr: string; bill_no: string; bill_finalized: number; child_count: number; area_id: number | null; returned_at: number; by_id: number; by_name: string; seq: number }>(
        'SELECT * FROM parents ORDER BY seq',
      )
      .toArray();
    for (const r of rows) {
      parents.set(r.qr, {
        qr: r.qr,
        billNo: r.bill_no,
        billFinalized: r.bill_finalized === 1,
        childCount: r.child_count,
        areaId: r.area_id,
        returnedAt: r.returned_at,
        byId: r.by_id,
        byName: r.by_name,
      });
      this.seq = Math.max(this.seq, r.seq);
    }
    return { ...meta, parents };
  }

  saveMeta(state: TicketState): void {
    const meta: MetaV1 = {
      v: 1,
      code: state.code,
      areaId: state.areaId,
      notes: state.notes,
      status: state.status,
      createdAt: state.createdAt,
      createdById: state.createdById,
      createdByName: state.createdByName,
      closedAt: state.closedAt,
      closedById: state.closedById,
      closedByName: state.closedByName,
    };
    this.sql.exec(`INSERT OR REPLACE INTO meta (k, v) VALUES ('ticket', ?)`, JSON.stringify(meta));
  }

  saveParent(p: TicketParent): void {
    this.sql.exec(
      'INSERT OR IGNORE INTO parents (qr, bill_no, bill_finalized, child_count, area_id, returned_at, by_id, by_name, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      p.qr,
      p.billNo,
      p.billFinalized ? 1 : 0,
      p.childCount,
      p.areaId,
      p.returnedAt,
      p.byId,
      p.byName,
      ++this.seq,
    );
  }

  enqueue(event: ReturnFlushEvent): void {
    this.sql.exec('INSERT INTO outbox (body) VALUES (?)', JSON.stringify(event));
  }

  readOutbox(limit: number): OutboxRow[] {
    return this.sql
      .exec<{ seq: number; body: string }>('SELECT seq, body FROM outbox ORDER BY seq LIMIT ?', limit)
      .toArray()
      .map((r) => ({ seq: r.seq, event: JSON.parse(r.body) as ReturnFlushEvent }));
  }

  outboxSize(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox').one().n;
  }

  deleteOutboxThrough(seq: number): void {
    this.sql.exec('DELETE FROM outbox WHERE seq <= ?', seq);
  }

  markTakeInFlight(take: TakeInFlight): void {
    this.sql.exec('INSERT OR REPLACE INTO takes_in_flight (qr, body) VALUES (?, ?)', take.qr, JSON.stringify(take));
  }

  clearTakeInFlight(qr: string): void {
    this.sql.exec('DELETE FROM takes_in_flight WHERE qr = ?', qr);
  }

  takesInFlight(): TakeInFlight[] {
    return this.sql.exec<{ body: string }>('SELECT body FROM takes_in_flight').toArray().map((r) => JSON.parse(r.body) as TakeInFlight);
  }

  addBillCall(call: BillCall): void {
    this.sql.exec('INSERT OR REPLACE INTO bill_calls (qr, body) VALUES (?, ?)', call.qr, JSON.stringify(call));
  }

  removeBillCall(qr: string): void {
    this.sql.exec('DELETE FROM bill_calls WHERE qr = ?', qr);
  }

  billCalls(): BillCall[] {
    return this.sql.exec<{ body: string }>('SELECT body FROM bill_calls').toArray().map((r) => JSON.parse(r.body) as BillCall);
  }
}
