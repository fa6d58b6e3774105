// Writes one ParentSession flush to Postgres as a single atomic unit, idempotently (see flush-statements.ts).
import type { SQL } from 'drizzle-orm';
import { runAtomic, type Db, type Row } from './client';
import { DEFAULT_TIME_ZONE } from './counter-sql';
import type { FlushBatch, FlushConflict, FlushResult } from './flush-types';
import { linkChangesStatement, parentRows, parentsStatement, scansStatement } from './flush-statements';
import { chunk } from './sql-arrays';

/** Rows per statement: keeps each statement's text and memory modest; any batch size still works. */
export const FLUSH_CHUNK_ROWS = 5_000;

export interface FlushOptions {
  /** Deployment time zone for day/hour counters (IANA name). */
  timeZone?: string;
}

/** The statements flushBatch runs, in order (exported so tests can inspect parameter counts). */
export function buildFlushStatements(batch: FlushBatch, opts: FlushOptions = {}): SQL[] {
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const statements: SQL[] = [];
  const parents = parentRows([...(batch.parents ?? []), ...(batch.parent ? [batch.parent] : [])], batch.changes);
  if (parents.length > 0) {
    for (const part of chunk(parents, FLUSH_CHUNK_ROWS)) statements.push(parentsStatement(part, timeZone));
  }
  // Chunks run in order inside one transaction, so a later chunk sees what an earlier one did.
  for (const part of chunk(batch.changes, FLUSH_CHUNK_ROWS)) statements.push(linkChangesStatement(part, timeZone));
  for (const part of chunk(batch.scans, FLUSH_CHUNK_ROWS)) statements.push(scansStatement(part, timeZone));
  return statements;
}

function toConflict(row: Row): FlushConflict {
  return {
    eventId: String(row.event_id),
    childQr: String(row.child_qr),
    parentQr: String(row.parent_qr),
    existingParentQr: row.existing_parent_qr == null ? null : String(row.existing_parent_qr),
  };
}

export async function flushBatch(db: Db, batch: FlushBatch, opts: FlushOptions = {}): Promise<FlushResult> {
  const statements = buildFlushStatements(batch, opts);
  if (statements.length === 0) return { conflicts: [] };
  const results = await runAtomic(db, statements);
  const conflicts = new Map<string, FlushConflict>();
  for (const rows of results) {
    for (const row of rows) {
      if (row.event_id === undefined) continue;
      const c = toConflict(row);
      if (!conflicts.has(c.eventId)) conflicts.set(c.eventId, c);
    }
  }
  return { conflicts: [...conflicts.values()] };
}
