// The supervisors' view of flush conflicts (issue 10 point 1): changes the objects acknowledged that Postgres
// could not apply as they came — a child Postgres holds in another parent, or an event id Postgres already holds
// for a different event (`event_id_reused`). Kept in flush_conflicts until resolved; listed newest first.
// A conflict belongs to the area of its parent bag (as Postgres knows it); one with no parent bag known has
// no area and is shown to admins only.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { cursorParts, isoTimestamp, type KeysetList } from '../../db/list';
import type { ConflictItem } from '../../shared/api';
export type { ConflictItem } from '../../shared/api';

export const CONFLICT_KINDS = ['child_in_other_parent', 'event_id_reused'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export interface ConflictFilters {
  /** Only this area's conflicts (area-limited roles always get their own). */
  areaId?: number;
  kind?: ConflictKind;
  /** Resolved ones too (default: open ones only). */
  includeResolved?: boolean;
}

export interface ConflictRow extends Record<string, unknown> {
  id: string | number;
  event_id: string;
  kind: ConflictKind;
  child_qr: string | null;
  parent_qr: string | null;
  existing_parent_qr: string | null;
  detail: string | null;
  detected_at: string;
  resolved_at: string | null;
  area_id: number | null;
}


const conflictKey = z.tuple([cursorParts.id]);

export function conflictListSpec(f: ConflictFilters): KeysetList<ConflictRow, z.infer<typeof conflictKey>> {
  const filters: Array<SQL | undefined> = [
    f.includeResolved ? undefined : sql`fc.resolved_at IS NULL`,
    f.kind !== undefined ? sql`fc.kind = ${f.kind}` : undefined,
    f.areaId !== undefined ? sql`b.area_id = ${f.areaId}` : undefined,
  ];
  return {
    select: sql`SELECT fc.id, fc.event_id, fc.kind, fc.child_qr, fc.parent_qr, fc.existing_parent_qr, fc.detail::text AS detail,
      ${isoTimestamp(sql`fc.detected_at`)} AS detected_at, ${isoTimestamp(sql`fc.resolved_at`)} AS resolved_at, b.area_id
    FROM flush_conflicts fc LEFT JOIN bags b ON b.qr = fc.parent_qr AND b.type = 'parent'`,
    filters,
    order: [sql`fc.id`],
    direction: 'desc',
    cursorSchema: conflictKey,
    keyOf: (r) => [Number(r.id)],
    keyCasts: ['int8'],
  };
}

export function conflictItem(r: ConflictRow): ConflictItem {
  let detail: unknown = null;
  if (r.detail !== null) {
    try {
      detail = JSON.parse(r.detail);
    } catch {
      detail = r.detail;
    }
  }
  return {
    id: Number(r.id),
    eventId: r.event_id,
    kind: r.kind,
    childQr: r.child_qr,
    parentQr: r.parent_qr,
    existingParentQr: r.existing_parent_qr,
    detail,
    detectedAt: r.detected_at,
    resolvedAt: r.resolved_at,
    areaId: r.area_id === null ? null : Number(r.area_id),
  };
}
