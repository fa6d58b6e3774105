// Changing FLUSH_SHARDS re-routes a child's later events to another flush queue shard while its older ones may
// still wait in the old shard: the two shards' batches can reach Postgres in either order. These tests flush
// one child's events as separate batches in every order and check that Postgres ends in the newest state,
// each event stored once, counters equal to a recount (issue 15 point 4).
import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { queryRows, type Db } from '../../../src/db/client';
import { recountCounters } from '../../../src/db/counters';
import { flushBatch } from '../../../src/db/flush';
import type { FlushBatch, LinkChange } from '../../../src/db/flush-types';
import { insertBasics, link, parent, readCounters, unlink } from '../../support/fixtures';
import { describeMatrix } from '../../support/matrix';

async function expectCountersMatchRecount(db: Db): Promise<void> {
  const recount = new Map((await recountCounters(db)).map((r) => [`${r.name}|${r.scope}|${r.period}`, r.value]));
  expect(Object.fromEntries(await readCounters(db))).toEqual(Object.fromEntries(recount));
}

const linksOf = (db: Db, child: string) => queryRows<{ parent_qr: string }>(db, sql`SELECT parent_qr FROM links WHERE child_qr = ${child}`);
const bagStatus = async (db: Db, child: string) => (await queryRows<{ status: string }>(db, sql`SELECT status FROM bags WHERE qr = ${child}`))[0]?.status;

/** Every ordering of `items`. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** One batch per change, as two (or more) shards would each send theirs; parents A (area 1) and B (area 2). */
function batchOf(change: LinkChange): FlushBatch {
  return { parent: null, changes: [change], scans: [] };
}

describeMatrix('flush order across shards', (ctx) => {
  test('a link and its undo flushed in the opposite order end unlinked', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00100', 1), changes: [], scans: [] });
    // The undo (queued under the new count) commits first, the link (old count's shard) after it.
    await flushBatch(db, batchOf(unlink('u1', 'ORDER1', 'SB00100', 2)));
    await flushBatch(db, batchOf(link('l1', 'ORDER1', 'SB00100', 1)));
    expect(await linksOf(db, 'ORDER1')).toEqual([]);
    expect(await bagStatus(db, 'ORDER1')).toBe('unlinked');
    expect(Number((await queryRows(db, sql`SELECT count(*) AS n FROM link_events WHERE child_qr = 'ORDER1'`))[0]!.n)).toBe(2);
    expect(Number((await queryRows(db, sql`SELECT count(*) AS n FROM audit_log WHERE entity_id = 'ORDER1'`))[0]!.n)).toBe(2);
    await expectCountersMatchRecount(db);
  });

  test('a move whose new link lands before the old parent’s unlink ends in the new parent, its conflict resolved', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00101', 1), changes: [link('l1', 'MOVE1', 'SB00101', 1)], scans: [] });
    // New shard: the link into B arrives while Postgres still has the child in A: refused for now …
    const early = await flushBatch(db, { parent: parent('SB00102', 1, { areaId: 2, createdBy: 2 }), changes: [link('l2', 'MOVE1', 'SB00102', 3, { areaId: 2, userId: 2 })], scans: [] });
    expect(early.conflicts.map((c) => c.kind)).toEqual(['child_in_other_parent']);
    // … old shard: A's unlink (older than the link into B) arrives and lets the newest event, the link into B, stand.
    const late = await flushBatch(db, batchOf(unlink('u1', 'MOVE1', 'SB00101', 2)));
    expect(late.conflicts).toEqual([]);
    expect(await linksOf(db, 'MOVE1')).toEqual([{ parent_qr: 'SB00102' }]);
    expect(await bagStatus(db, 'MOVE1')).toBe('linked');
    expect(await queryRows(db, sql`SELECT event_id, resolved_at IS NOT NULL AS resolved FROM flush_conflicts`)).toEqual([{ event_id: 'SB00102 l2', resolved: true }]);
    const counters = await readCounters(db);
    expect(counters.get('links|area:1|total')).toBeUndefined();
    expect(counters.get('links|area:2|total')).toBe(1);
    await expectCountersMatchRecount(db);
  });

  test('an unlink and the next link of a move in one batch move the child', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00103', 1), changes: [link('l1', 'MOVE2', 'SB00103', 1)], scans: [] });
    const r = await flushBatch(db, {
      parent: parent('SB00104', 1, { areaId: 2 }),
      changes: [unlink('u1', 'MOVE2', 'SB00103', 2), link('l2', 'MOVE2', 'SB00104', 3, { areaId: 2 })],
      scans: [],
    });
    expect(r.conflicts).toEqual([]);
    expect(await linksOf(db, 'MOVE2')).toEqual([{ parent_qr: 'SB00104' }]);
    await expectCountersMatchRecount(db);
  });

  test('a stale link of a parent whose child was moved on changes nothing', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00105', 1), changes: [], scans: [] });
    await flushBatch(db, { parent: parent('SB00106', 1), changes: [link('l2', 'MOVE3', 'SB00106', 3)], scans: [] });
    const before = await queryRows(db, sql`SELECT * FROM links ORDER BY child_qr`);
    // The old shard's link into A and its unlink, both older than the link into B.
    await flushBatch(db, batchOf(link('l1', 'MOVE3', 'SB00105', 1)));
    await flushBatch(db, batchOf(unlink('u1', 'MOVE3', 'SB00105', 2)));
    expect(await queryRows(db, sql`SELECT * FROM links ORDER BY child_qr`)).toEqual(before);
    expect(await queryRows(db, sql`SELECT count(*)::int AS n FROM flush_conflicts`)).toEqual([{ n: 0 }]);
    await expectCountersMatchRecount(db);
  });

  test.each([
    ['link A, unlink A, link B', 3, 'SB00111'],
    ['link A, unlink A, link B, unlink B', 4, null],
  ] as const)('every order of %s as separate batches ends in the newest state, each event once', async (_, n, finalParent) => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00110', 1), changes: [], scans: [] });
    await flushBatch(db, { parent: parent('SB00111', 1, { areaId: 2 }), changes: [], scans: [] });
    const orders = permutations(Array.from({ length: n }, (_, i) => i));
    for (const [k, order] of orders.entries()) {
      const child = `PERM${String(k).padStart(3, '0')}`;
      const events: LinkChange[] = [
        link(`${child}-1`, child, 'SB00110', 1),
        unlink(`${child}-2`, child, 'SB00110', 2),
        link(`${child}-3`, child, 'SB00111', 3, { areaId: 2 }),
        unlink(`${child}-4`, child, 'SB00111', 4),
      ].slice(0, n);
      for (const i of order) await flushBatch(db, batchOf(events[i]!));
      // A replay of everything in the reverse order changes nothing.
      for (const i of [...order].reverse()) await flushBatch(db, batchOf(events[i]!));
      expect({ order, links: await linksOf(db, child), status: await bagStatus(db, child) }).toEqual({
        order,
        links: finalParent ? [{ parent_qr: finalParent }] : [],
        status: finalParent ? 'linked' : 'unlinked',
      });
    }
    expect(await queryRows(db, sql`SELECT count(*)::int AS n FROM link_events`)).toEqual([{ n: orders.length * n }]);
    expect(await queryRows(db, sql`SELECT count(*)::int AS n FROM links`)).toEqual([{ n: finalParent ? orders.length : 0 }]);
    // A link that arrived before the unlink it follows was recorded as a conflict on the way and is resolved
    // once that unlink comes: none is left open.
    expect(await queryRows(db, sql`SELECT count(*)::int AS n FROM flush_conflicts WHERE resolved_at IS NULL`)).toEqual([{ n: 0 }]);
    await expectCountersMatchRecount(db);
  });
});
