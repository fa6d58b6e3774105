// Pages through every bag's role and parent, ordered by QR: what the rebuild command replays into the
// sharded QR registry objects. Keyset pagination keeps each page an index range scan however deep it goes.
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { bags, links } from './schema';

export interface RegistryRow {
  qr: string;
  role: 'parent' | 'child';
  parentQr: string | null;
}

export const MAX_REGISTRY_PAGE = 10_000;

export async function listRegistryPage(db: Db, afterQr: string | null, limit: number): Promise<RegistryRow[]> {
  const size = Math.max(1, Math.min(Math.floor(limit), MAX_REGISTRY_PAGE));
  const rows = await db
    .select({ qr: bags.qr, role: bags.type, parentQr: links.parentQr })
    .from(bags)
    .leftJoin(links, eq(links.childQr, bags.qr))
    .where(afterQr === null ? sql`true` : gt(bags.qr, afterQr))
    .orderBy(asc(bags.qr))
    .limit(size);
  return rows.map((r) => ({ qr: r.qr, role: r.role, parentQr: r.parentQr ?? null }));
}
