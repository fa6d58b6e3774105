// Writes one ParentSession flush to Postgres as a single atomic unit, idempotently (see flush-statements.ts).
import type { SQL } from 'drizzle-orm';
import { runAtomicRows, type Db, type Row } from './client';
import { DEFAULT_TIME_ZONE } from './counter-sql';
import type { FlushBatch, FlushConflict, FlushResult } from './flush-types';
import { linkChangesStatement, parentRows, parentsStatement, scansStatement } from './flush-statements';
import { chunk } from './sql-arrays';

/** Rows per statement: keeps each statement's text and memory modest; any batch size still works. */
export const FLUSH_CHUNK_ROWS = 5_000;

export interface FlushOptions {
  /** Deployment time zone for day/hour counters (IANA name). */
  timeZone?: string;
  /** The counter slot this flush adds to (counter-sql.ts: a flush queue shard's own, so shards do not contend); 0 if absent. */
  counterSlot?: number;
}

/** The statements flushBatch runs, in order (exported so tests can inspect parameter counts). */
export function buildFlushStatements(batch: FlushBatch, opts: FlushOptions = {}): SQL[] {
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const slot = opts.counterSlot ?? 0;
  const statements: SQL[] = [];
  const parents = parentRows([...(batch.parents ?? []), ...(batch.parent ? [batch.parent] : [])], batch.changes);
  if (parents.length > 0) {
    for (const part of chunk(parents, FLUSH_CHUNK_ROWS)) statements.push(parentsStatement(part, timeZone, slot));
  }
  // Chunks run in order inside one transaction, so a later chunk sees what an earlier one did.
  for (const part of chunk(batch.changes, FLUSH_CHUNK_ROWS)) statements.push(linkChangesStatement(part, timeZone, slot));
  for (const part of chunk(batch.scans, FLUSH_CHUNK_ROWS)) statements.push(scansStatement(part, timeZone, slot));
  return statements;
}

const text = (v: unknown) => (v == null ? null : String(v));

/** A conflict row as the flush statements answer it (event_id, kind, child_qr, parent_qr, existing_parent_qr, detail). */
export function toConflict(row: Row): FlushConflict {
  const conflict: FlushConflict = {
    kind: row.kind === 'event_id_reused' ? 'event_id_reused' : 'child_in_other_parent',
    eventId: String(row.event_id),
    childQr: text(row.child_qr),
    parentQr: text(row.parent_qr),
    existingParentQr: text(row.existing_parent_qr),
  };
  if (row.detail != null) conflict.detail = (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as FlushConflict['detail'];
  return conflict;
}

/** Conflict rows of several statements, each once (a replay lists recorded ones again). */
export function collectConflicts(results: readonly Row[][]): FlushConflict[] {
  const conflicts = new Map<string, FlushConflict>();
  for (const rows of results) {
    for (const row of rows) {
      if (row.event_id === undefined) continue;
      const key = `${String(row.kind)}|${String(row.event_id)}|${String(row.refused_hash ?? '')}`;
      if (!conflicts.has(key)) conflicts.set(key, toConflict(row));
    }
  }
  return [...conflicts.values()];
}

export async function flushBatch(db: Db, batch: FlushBatch, opts: FlushOptions = {}): Promise<FlushResult> {
  const statements = buildFlushStatements(batch, opts);
  if (statements.length === 0) return { conflicts: [] };
  return { conflicts: collectConflicts([await runAtomicRows(db, statements)]) };
}
