// Builders for flush batches and the rows they need, shared by the database tests.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client';
import { scopedEventId } from '../../src/db/event-ids';
import type { FlushBatch, LinkEvent, ParentSnapshot, ScanRecord, UnlinkEvent } from '../../src/db/flush-types';

export const T0 = Date.parse('2025-03-10T05:00:00Z');
export const at = (secondsAfterT0: number): string => new Date(T0 + secondsAfterT0 * 1000).toISOString();

/** Two areas and two users: ids 1 and 2 each (tables are truncated with RESTART IDENTITY first). */
export async function insertBasics(db: Db): Promise<void> {
  await db.execute(sql`INSERT INTO areas (name) VALUES ('Lucknow'), ('Indore')`);
  await db.execute(sql`INSERT INTO users (username, password_hash, role, area_id)
    VALUES ('dispatcher', 'x', 'dispatcher', 1), ('dispatcher2', 'x', 'dispatcher', 2)`);
}

export function parent(qr: string, version: number, extra: Partial<ParentSnapshot> = {}): ParentSnapshot {
  return { qr, areaId: 1, status: 'open', childCount: 0, createdBy: 1, createdAt: at(0), completedAt: null, version, ...extra };
}

// Events get the ids a ParentSession gives them now: the key scoped by the parent (scopedEventId).
export function link(key: string, childQr: string, parentQr: string, t: number, extra: Partial<LinkEvent> = {}): LinkEvent {
  return { kind: 'link', eventId: scopedEventId(parentQr, key), childQr, parentQr, areaId: 1, at: at(t), userId: 1, ...extra };
}

export function unlink(key: string, childQr: string, parentQr: string, t: number): UnlinkEvent {
  return { kind: 'unlink', eventId: scopedEventId(parentQr, key), childQr, parentQr, at: at(t), userId: 1, reason: 'undo' };
}

export function scan(key: string, childQr: string, parentQr: string, t: number, extra: Partial<ScanRecord> = {}): ScanRecord {
  return { scanId: scopedEventId(parentQr, key), parentQr, childQr, userId: 1, areaId: 1, result: 'linked', errorCode: null, at: at(t), ...extra };
}

/** A parent with `n` linked children and their scans, ids derived from `tag` so batches never collide. */
export function fullBatch(tag: string, parentQr: string, n: number, areaId = 1, userId = 1): FlushBatch {
  const changes: LinkEvent[] = [];
  const scans: ScanRecord[] = [];
  for (let i = 0; i < n; i++) {
    const child = `${tag}C${String(i).padStart(6, '0')}`;
    changes.push(link(`${tag}-e${i}`, child, parentQr, i, { areaId, userId }));
    scans.push(scan(`${tag}-s${i}`, child, parentQr, i, { areaId, userId }));
  }
  return { parent: parent(parentQr, n, { areaId, createdBy: userId, childCount: n }), changes, scans };
}

/** Every application table's rows in a stable order: two snapshots are equal iff nothing changed. */
export async function snapshotTables(db: Db): Promise<Record<string, unknown[]>> {
  const tables: Record<string, string> = {
    bags: 'SELECT * FROM bags ORDER BY qr',
    links: 'SELECT * FROM links ORDER BY child_qr',
    link_events: 'SELECT * FROM link_events ORDER BY event_id',
    scans: 'SELECT * FROM scans ORDER BY scan_id',
    counters: 'SELECT name, scope, period, slot, value::text FROM counters ORDER BY 1, 2, 3, 4',
    flush_conflicts: 'SELECT id, event_id, kind, child_qr, parent_qr, existing_parent_qr, detail, detected_at FROM flush_conflicts ORDER BY event_id, kind, refused_hash',
    audit_log: 'SELECT id, at, actor_id, actor_username, action, entity_type, entity_id, before, after, event_id FROM audit_log ORDER BY id',
  };
  const out: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(tables)) out[name] = await queryRows(db, sql.raw(query));
  return out;
}

/** counters as a map "name|scope|period" → value (the sum of its slots), non-zero ones only. */
export async function readCounters(db: Db): Promise<Map<string, number>> {
  const rows = await queryRows<{ k: string; v: number }>(
    db,
    sql`SELECT name || '|' || scope || '|' || period AS k, sum(value)::float8 AS v FROM counters GROUP BY 1 HAVING sum(value) <> 0`,
  );
  return new Map(rows.map((r) => [r.k, Number(r.v)]));
}
