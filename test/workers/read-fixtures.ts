// Rows for the read-side tests, written straight into Postgres (as the flush would have written them),
// each test under its own random prefix so files running side by side never see each other's rows.
import { env } from 'cloudflare:test';
import type { SQL } from 'drizzle-orm';
import { closeDb, getDb, queryRows, type Row } from '../../src/db/client';
import { sql } from './db';

/**
 * Runs one statement on its own connection and closes it: the embedded server serves few connections
 * at a time, and clients left idle would make later ones wait for their idle timeout.
 */
export async function rows<T extends Row = Row>(query: SQL): Promise<T[]> {
  const db = getDb({ DATABASE_URL: env.DIRECT_DATABASE_URL });
  try {
    return await queryRows<T>(db, query);
  } finally {
    await closeDb(db);
  }
}

export function tag(prefix = 'R'): string {
  return `${prefix}${crypto.randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

export async function areaId(name: string): Promise<number> {
  const [row] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = ${name}`);
  if (!row) throw new Error(`no area ${name}`);
  return row.id;
}

export async function userId(username: string): Promise<number> {
  const [row] = await rows<{ id: number }>(sql`SELECT id FROM users WHERE username = ${username}`);
  if (!row) throw new Error(`no user ${username}`);
  return row.id;
}

export async function newArea(): Promise<number> {
  const [row] = await rows<{ id: number }>(sql`INSERT INTO areas (name) VALUES (${`Test ${tag('A')}`}) RETURNING id`);
  return row!.id;
}

export interface BagSeed {
  qr: string;
  type: 'parent' | 'child';
  areaId: number;
  status: 'open' | 'completed' | 'linked' | 'unlinked';
  createdAt: string;
  createdBy?: number | null;
  childCount?: number;
  completedAt?: string | null;
}

export async function insertBags(bags: BagSeed[]): Promise<void> {
  for (const b of bags) {
    await rows(sql`INSERT INTO bags (qr, type, area_id, status, child_count, created_by, created_at, updated_at, completed_at)
      VALUES (${b.qr}, ${b.type}, ${b.areaId}, ${b.status}, ${b.childCount ?? 0}, ${b.createdBy ?? null}, ${b.createdAt}, ${b.createdAt}, ${b.completedAt ?? null})`);
  }
}

export async function insertLink(childQr: string, parentQr: string, at: string, by: number | null = null): Promise<void> {
  await rows(sql`INSERT INTO links (child_qr, parent_qr, linked_at, linked_by, event_id) VALUES (${childQr}, ${parentQr}, ${at}, ${by}, ${`ev-${childQr}`})`);
  await rows(sql`INSERT INTO link_events (event_id, kind, child_qr, parent_qr, at, user_id) VALUES (${`ev-${childQr}`}, 'link', ${childQr}, ${parentQr}, ${at}, ${by})`);
}

export async function insertBill(bill: {
  billNo: string;
  destination?: string;
  vehicleNo?: string;
  capacity?: number;
  status?: string;
  finalized?: boolean;
  createdBy?: number | null;
  createdAt?: string;
  finalizedAt?: string | null;
  parents?: Array<{ qr: string; addedAt: string; addedBy?: number | null }>;
}): Promise<number> {
  const [row] = await rows<{ id: number }>(sql`INSERT INTO bills (bill_no, destination, vehicle_no, capacity, status, finalized, created_by, created_at, finalized_at)
    VALUES (${bill.billNo}, ${bill.destination ?? 'Delhi'}, ${bill.vehicleNo ?? 'UP32 AB 1234'}, ${bill.capacity ?? 10}, ${bill.status ?? 'in_progress'},
      ${bill.finalized ?? false}, ${bill.createdBy ?? null}, ${bill.createdAt ?? new Date().toISOString()}, ${bill.finalizedAt ?? null})
    RETURNING id`);
  for (const p of bill.parents ?? []) {
    await rows(sql`INSERT INTO bill_bags (bag_qr, bill_id, added_at, added_by) VALUES (${p.qr}, ${row!.id}, ${p.addedAt}, ${p.addedBy ?? null})`);
  }
  return row!.id;
}

export async function insertScans(
  scans: Array<{ scanId: string; parentQr: string; childQr: string; userId: number; areaId: number; result: string; errorCode?: string | null; at: string }>,
): Promise<void> {
  for (const s of scans) {
    await rows(sql`INSERT INTO scans (scan_id, parent_qr, child_qr, user_id, area_id, result, error_code, created_at)
      VALUES (${s.scanId}, ${s.parentQr}, ${s.childQr}, ${s.userId}, ${s.areaId}, ${s.result}, ${s.errorCode ?? null}, ${s.at})`);
  }
}

/** Walks a list through its cursors; returns every page's items. */
export async function allPages<T = any>(fetchPage: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await fetchPage(cursor);
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('list never ended');
}
