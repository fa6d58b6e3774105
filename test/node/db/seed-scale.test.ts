import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { queryRows, type Db } from '../../../src/db/client';
import { counterMismatches } from '../../../src/db/counters';
import { listPage } from '../../../src/db/list';
import { bagItem, bagListSpec, lookupBag } from '../../../src/worker/read/bags';
import { seedScale, type ScaleOptions } from '../../../scripts/db/seed-scale';
import { closeDb, dbFor, startTarget, targetNames, type PgTarget } from '../../support/postgres';

const TZ = 'Asia/Kolkata';
const tiny: ScaleOptions = { parents: 100, childrenPerParent: 3, bills: 4, days: 3, truncate: false, timeZone: TZ, log: () => {} };

describe.each(targetNames())('seed:scale at tiny scale [%s]', (targetName) => {
  let target: PgTarget;
  let db: Db;
  beforeAll(async () => {
    target = await startTarget(targetName);
    db = dbFor(target, 'postgres-js');
  });
  afterAll(async () => {
    if (db) await closeDb(db);
    await target?.stop();
  });

  const one = async <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) => (await queryRows<T>(db, q))[0]!;
  const indexNames = async () => (await queryRows<{ n: string }>(db, sql`SELECT indexname AS n FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.n);

  test('loads parents, children, links, scans and bills that obey the domain rules, with exact counters', async () => {
    const before = await indexNames();
    const report = await seedScale(target.url, tiny);
    expect(report).toMatchObject({ parents: 100, children: 300 + 2, bills: 4 });
    expect(await indexNames()).toEqual(before);

    const c = await one<{ links: number; per_parent: number; scans: number; dup: number; rej: number; unlinked: number; events: number }>(sql`SELECT
      (SELECT count(*)::int FROM links) AS links,
      (SELECT max(n)::int FROM (SELECT count(*) AS n FROM links GROUP BY parent_qr) x) AS per_parent,
      (SELECT count(*)::int FROM scans) AS scans,
      (SELECT count(*)::int FROM scans WHERE result = 'duplicate') AS dup,
      (SELECT count(*)::int FROM scans WHERE result = 'rejected') AS rej,
      (SELECT count(*)::int FROM bags WHERE type = 'child' AND status = 'unlinked') AS unlinked,
      (SELECT count(*)::int FROM link_events) AS events`);
    expect(c).toEqual({ links: 300, per_parent: 3, scans: 300 + 15 + 3 + 2, dup: 15, rej: 3, unlinked: 2, events: 300 + 4 });
    // Every linked child bag has exactly one link, every parent's child_count is its number of links.
    expect(await one(sql`SELECT count(*)::int AS n FROM bags b WHERE b.type = 'child' AND b.status = 'linked' AND NOT EXISTS (SELECT 1 FROM links l WHERE l.child_qr = b.qr)`)).toEqual({ n: 0 });
    expect(await one(sql`SELECT count(*)::int AS n FROM bags p WHERE p.type = 'parent' AND p.child_count <> (SELECT count(*) FROM links l WHERE l.parent_qr = p.qr)`)).toEqual({ n: 0 });
    // Bills: within capacity, completed ones full, finalized ones completed, parents on one bill only (PK).
    const bills = await queryRows<{ capacity: number; status: string; finalized: boolean; parents: number }>(db,
      sql`SELECT bl.capacity, bl.status, bl.finalized, (SELECT count(*)::int FROM bill_bags bb WHERE bb.bill_id = bl.id) AS parents FROM bills bl ORDER BY bl.id`);
    expect(bills).toHaveLength(4);
    for (const b of bills) {
      expect(b.parents).toBeGreaterThan(0);
      expect(b.parents).toBeLessThanOrEqual(b.capacity);
      expect(b.capacity).toBeLessThanOrEqual(50);
      if (b.status === 'completed') expect(b.parents).toBe(b.capacity);
      if (b.finalized) expect(b.status).toBe('completed');
    }
    expect(bills.filter((b) => b.status === 'in_progress')).toHaveLength(1);
    expect(await counterMismatches(db, TZ)).toEqual([]);
    // The parent format and nothing in the future.
    expect(await one(sql`SELECT count(*)::int AS n FROM bags WHERE type = 'parent' AND qr !~ '^SB[0-9]{5}$'`)).toEqual({ n: 0 });
    expect(await one(sql`SELECT count(*)::int AS n FROM scans WHERE created_at > now()`)).toEqual({ n: 0 });

    // The read side works on it.
    const found = await lookupBag(db, 'CB00000004');
    expect(found?.parent?.qr).toBe('SB00001');
    expect(found?.bill?.billNo).toMatch(/^BILL-\d{5}$/);
    const page = await listPage(db, bagListSpec({ type: 'parent' }, TZ), { limit: 10 }, bagItem);
    expect(page.items.map((i) => i.qr)).toEqual(Array.from({ length: 10 }, (_, k) => `SB${String(99 - k).padStart(5, '0')}`));
  });

  test('refuses to load over existing bags, and replaces them with --truncate', async () => {
    await expect(seedScale(target.url, tiny)).rejects.toThrow(/--truncate/);
    const report = await seedScale(target.url, { ...tiny, truncate: true, parents: 50, bills: 2 });
    expect(report).toMatchObject({ parents: 50, children: 151, bills: 2 });
    expect(await counterMismatches(db, TZ)).toEqual([]);
    expect(await one(sql`SELECT count(*)::int AS n FROM users WHERE username LIKE 'scale\\_%'`)).toEqual({ n: 55 });
  });
});
