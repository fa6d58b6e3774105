// The scan history list (every scan the objects flushed: linked, duplicate, rejected), keyset pages.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { clientKeyOf } from '../../db/event-ids';
import { cursorParts, cursorTimestamp, isoTimestamp, type KeysetList } from '../../db/list';
import { timeRange } from './params';
import type { ScanItem } from '../../shared/api';
export type { ScanItem } from '../../shared/api';

export interface ScanFilters {
  areaId?: number;
  userId?: number;
  parentQr?: string;
  childQr?: string;
  result?: 'linked' | 'duplicate' | 'rejected';
  from?: string;
  to?: string;
}

export interface ScanRow extends Record<string, unknown> {
  id: string | number;
  scan_id: string;
  parent_qr: string | null;
  child_qr: string | null;
  user_id: number | null;
  username: string | null;
  area_id: number | null;
  /** The scans_result_check constraint allows these three only. */
  result: ScanItem['result'];
  error_code: string | null;
  created_at: string;
  sort_at: string;
}


const scanKey = z.tuple([cursorParts.timestamp, cursorParts.id]);

/** Newest first by (created_at, id); the scans_*_created_id indexes serve each filter's order. */
export function scanListSpec(f: ScanFilters, timeZone: string): KeysetList<ScanRow, z.infer<typeof scanKey>> {
  const filters: Array<SQL | undefined> = [
    f.areaId !== undefined ? sql`s.area_id = ${f.areaId}` : undefined,
    f.userId !== undefined ? sql`s.user_id = ${f.userId}` : undefined,
    f.parentQr !== undefined ? sql`s.parent_qr = ${f.parentQr}` : undefined,
    f.childQr !== undefined ? sql`s.child_qr = ${f.childQr}` : undefined,
    f.result !== undefined ? sql`s.result = ${f.result}` : undefined,
    ...timeRange(sql`s.created_at`, f.from, f.to, timeZone),
  ];
  return {
    select: sql`SELECT s.id, s.scan_id, s.parent_qr, s.child_qr, s.user_id,
      (SELECT u.username FROM users u WHERE u.id = s.user_id) AS username, s.area_id, s.result, s.error_code,
      ${isoTimestamp(sql`s.created_at`)} AS created_at, ${cursorTimestamp(sql`s.created_at`)} AS sort_at
    FROM scans s`,
    filters,
    order: [sql`s.created_at`, sql`s.id`],
    direction: 'desc',
    cursorSchema: scanKey,
    keyOf: (r) => [r.sort_at, Number(r.id)],
    keyCasts: ['timestamptz', 'int8'],
  };
}

export function scanItem(r: ScanRow): ScanItem {
  return {
    id: Number(r.id),
    // The scanId the device sent (the stored id is scoped by its parent, see db/event-ids.ts).
    scanId: clientKeyOf(r.scan_id),
    parentQr: r.parent_qr,
    childQr: r.child_qr,
    userId: r.user_id,
    username: r.username,
    areaId: r.area_id,
    result: r.result,
    errorCode: r.error_code,
    at: r.created_at,
  };
}
