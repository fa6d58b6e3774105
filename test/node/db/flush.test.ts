import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { PgDialect } from 'drizzle-orm/pg-core';
import { queryRows } from '../../../src/db/client';
import { recountCounters } from '../../../src/db/counters';
import { buildFlushStatements, flushBatch } from '../../../src/db/flush';
import type { FlushBatch, LinkChange, ScanRecord } from '../../../src/db/flush-types';
import { at, fullBatch, insertBasics, link, parent, readCounters, scan, snapshotTables, unlink } from '../../support/fixtures';
import { describeMatrix } from '../../support/matrix';

async function count(db: Parameters<typeof queryRows>[0], table: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`));
  return Number(rows[0]?.n);
}

async function expectCountersMatchRecount(db: Parameters<typeof queryRows>[0]): Promise<void> {
  const recount = new Map((await recountCounters(db)).map((r) => [`${r.name}|${r.scope}|${r.period}`, r.value]));
  expect(Object.fromEntries(await readCounters(db))).toEqual(Object.fromEntries(recount));
}

describeMatrix('flushBatch', (ctx) => {
  test('writes the parent, children, links, events and scans of a batch', async () => {
    const { db } = ctx();
    await insertBasics(db);
    const result = await flushBatch(db, fullBatch('A', 'SB00001', 3));
    expect(result.conflicts).toEqual([]);
    const t = await snapshotTables(db);
    expect(t.bags).toHaveLength(4);
    expect(t.links).toHaveLength(3);
    expect(t.link_events).toHaveLength(3);
    expect(t.scans).toHaveLength(3);
    const children = await queryRows(db, sql`SELECT qr, type, status, area_id FROM bags WHERE type = 'child' ORDER BY qr`);
    expect(children).toEqual([0, 1, 2].map((i) => ({ qr: `AC00000${i}`, type: 'child', status: 'linked', area_id: 1 })));
    const counters = await readCounters(db);
    expect(counters.get('parents|all|total')).toBe(1);
    expect(counters.get('children|area:1|total')).toBe(3);
    expect(counters.get('links|all|total')).toBe(3);
    // 05:00Z is 10:30 in Asia/Kolkata.
    expect(counters.get('scans|area:1|2025-03-10T10')).toBe(3);
    expect(counters.get('scans_linked|all|2025-03-10')).toBe(3);
  });

  test('replaying a batch, or an overlapping one, changes nothing twice', async () => {
    const { db } = ctx();
    await insertBasics(db);
    const batch = fullBatch('R', 'SB00002', 20);
    await flushBatch(db, batch);
    const before = await snapshotTables(db);
    await flushBatch(db, batch);
    const overlap: FlushBatch = { parent: batch.parent, changes: batch.changes.slice(5, 15), scans: batch.scans.slice(0, 10) };
    await flushBatch(db, overlap);
    expect(await snapshotTables(db)).toEqual(before);
  });

  test('link, undo and link again of one child in one batch ends linked', async () => {
    const { db } = ctx();
    await insertBasics(db);
    const changes: LinkChange[] = [link('e1', 'CHILD1', 'SB00003', 1), unlink('e2', 'CHILD1', 'SB00003', 2), link('e3', 'CHILD1', 'SB00003', 3)];
    await flushBatch(db, { parent: parent('SB00003', 3, { childCount: 1 }), changes, scans: [] });
    expect(await queryRows(db, sql`SELECT child_qr, parent_qr, event_id FROM links`)).toEqual([{ child_qr: 'CHILD1', parent_qr: 'SB00003', event_id: 'SB00003 e3' }]);
    expect(await queryRows(db, sql`SELECT status FROM bags WHERE qr = 'CHILD1'`)).toEqual([{ status: 'linked' }]);
    expect(await count(db, 'link_events')).toBe(3);
    const counters = await readCounters(db);
    expect(counters.get('links|all|total')).toBe(1);
    expect(counters.get('children|all|total')).toBe(1);

    // An undo arriving in a later batch (with the old events replayed in front of it) unlinks.
    await flushBatch(db, { parent: parent('SB00003', 4), changes: [...changes, unlink('e4', 'CHILD1', 'SB00003', 4)], scans: [] });
    expect(await count(db, 'links')).toBe(0);
    expect(await queryRows(db, sql`SELECT status FROM bags WHERE qr = 'CHILD1'`)).toEqual([{ status: 'unlinked' }]);
    expect((await readCounters(db)).get('links|all|total')).toBeUndefined(); // back to zero
    await expectCountersMatchRecount(db);
  });

  test('a parent snapshot replaces only an older version', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00004', 5, { childCount: 5 }), changes: [], scans: [] });
    await flushBatch(db, { parent: parent('SB00004', 3, { childCount: 3 }), changes: [], scans: [] });
    expect(await queryRows(db, sql`SELECT child_count, version::int AS version FROM bags WHERE qr = 'SB00004'`)).toEqual([{ child_count: 5, version: 5 }]);
    await flushBatch(db, { parent: parent('SB00004', 6, { childCount: 30, status: 'completed', completedAt: at(60) }), changes: [], scans: [] });
    expect(await queryRows(db, sql`SELECT status, child_count FROM bags WHERE qr = 'SB00004'`)).toEqual([{ status: 'completed', child_count: 30 }]);
    expect((await readCounters(db)).get('parents|all|total')).toBe(1);
  });

  test('a link refused because the child is in another parent is reported and recorded once', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00010', 1), changes: [link('x1', 'DUPCHILD', 'SB00010', 1)], scans: [] });
    const batch: FlushBatch = {
      parent: parent('SB00011', 2, { areaId: 2, createdBy: 2 }),
      changes: [link('x2', 'DUPCHILD', 'SB00011', 2, { areaId: 2, userId: 2 }), link('x3', 'OKCHILD', 'SB00011', 3, { areaId: 2, userId: 2 })],
      scans: [],
    };
    const expected = [{ kind: 'child_in_other_parent', eventId: 'SB00011 x2', childQr: 'DUPCHILD', parentQr: 'SB00011', existingParentQr: 'SB00010' }];
    expect((await flushBatch(db, batch)).conflicts).toEqual(expected);
    // A replay answers the same (the first answer may have been lost) without recording it twice.
    expect((await flushBatch(db, batch)).conflicts).toEqual(expected);
    expect(await queryRows(db, sql`SELECT event_id, child_qr, parent_qr, existing_parent_qr FROM flush_conflicts`)).toEqual([
      { event_id: 'SB00011 x2', child_qr: 'DUPCHILD', parent_qr: 'SB00011', existing_parent_qr: 'SB00010' },
    ]);
    expect(await queryRows(db, sql`SELECT child_qr, parent_qr FROM links ORDER BY child_qr`)).toEqual([
      { child_qr: 'DUPCHILD', parent_qr: 'SB00010' },
      { child_qr: 'OKCHILD', parent_qr: 'SB00011' },
    ]);
    // Undoing the refused link must not touch the child's real link.
    await flushBatch(db, { parent: null, changes: [unlink('x4', 'DUPCHILD', 'SB00011', 4)], scans: [] });
    expect(await count(db, 'links')).toBe(2);
    await expectCountersMatchRecount(db);
  });

  test('a QR of the wrong role is refused as a conflict, not linked', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00020', 1), changes: [], scans: [] });
    const r = await flushBatch(db, { parent: parent('SB00021', 1), changes: [link('w1', 'SB00020', 'SB00021', 1)], scans: [] });
    expect(r.conflicts).toEqual([{ kind: 'child_in_other_parent', eventId: 'SB00021 w1', childQr: 'SB00020', parentQr: 'SB00021', existingParentQr: null }]);
    expect(await count(db, 'links')).toBe(0);
  });

  test('strings with quotes, backslashes, commas, braces and "NULL" survive the array parameters', async () => {
    const { db } = ctx();
    await insertBasics(db);
    const odd = ['a"b', 'c\\d', 'e,f', '{g}', 'NULL', '', "h'i", 'ünï'];
    const scans: ScanRecord[] = odd.map((s, i) => scan(`odd-${i}`, s, 'SB00030', i, { result: 'rejected', errorCode: s }));
    await flushBatch(db, { parent: null, changes: [], scans });
    const rows = await queryRows<{ child_qr: string; error_code: string }>(db, sql`SELECT child_qr, error_code FROM scans ORDER BY scan_id`);
    expect(rows.map((r) => r.child_qr)).toEqual(odd);
    expect(rows.map((r) => r.error_code)).toEqual(odd);
  });

  test('counters equal a full recount after a mixed workload with replays', async () => {
    const { db } = ctx();
    await insertBasics(db);
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const sent: FlushBatch[] = [];
    let ev = 0;
    for (let round = 0; round < 12; round++) {
      const p = `SB${String(100 + (round % 4)).padStart(5, '0')}`;
      const area = (round % 4) < 2 ? 1 : 2;
      const changes: LinkChange[] = [];
      const scans: ScanRecord[] = [];
      for (let i = 0; i < 25; i++) {
        const child = `MIX${rand(60)}`; // children collide across parents: some links conflict
        const t = round * 3600 + i * 60; // spread over hours and two days
        const e = `m${ev++}`;
        const r = rand(10);
        if (r < 6) changes.push(link(e, child, p, t, { areaId: area, userId: area }));
        else if (r < 8) changes.push(unlink(e, child, p, t));
        scans.push(scan(`s${e}`, child, p, t, { areaId: area, userId: area, result: r < 6 ? 'linked' : r < 8 ? 'duplicate' : 'rejected' }));
      }
      const batch: FlushBatch = { parent: parent(p, round, { areaId: area, createdBy: area }), changes, scans };
      sent.push(batch);
      await flushBatch(db, batch, { timeZone: 'Asia/Kolkata' });
      if (rand(3) === 0) await flushBatch(db, sent[rand(sent.length)]!); // a stale retry
    }
    await expectCountersMatchRecount(db);
    // Child status agrees with links.
    const wrong = await queryRows(db, sql`SELECT b.qr FROM bags b LEFT JOIN links l ON l.child_qr = b.qr
      WHERE b.type = 'child' AND (b.status = 'linked') <> (l.child_qr IS NOT NULL)`);
    expect(wrong).toEqual([]);
    expect(await count(db, 'links')).toBeGreaterThan(0);
    expect(await count(db, 'flush_conflicts')).toBeGreaterThan(0);
  });

  test('10,000 links in one flush: parameters stay few, everything lands', async () => {
    const { db, driver, endpoint } = ctx();
    await insertBasics(db);
    const batch = fullBatch('BIG', 'SB09999', 10_000);
    const dialect = new PgDialect();
    const statements = buildFlushStatements(batch);
    // A fixed number of parameters per statement, whatever the batch size.
    for (const s of statements) expect(dialect.sqlToQuery(s).params.length).toBeLessThanOrEqual(24);
    const before = endpoint.stats.maxParams;
    await flushBatch(db, batch);
    if (driver === 'neon-http') expect(Math.max(before, endpoint.stats.maxParams)).toBeLessThanOrEqual(24);
    expect(await count(db, 'links')).toBe(10_000);
    expect(await count(db, 'scans')).toBe(10_000);
    const counters = await readCounters(db);
    expect(counters.get('links|area:1|total')).toBe(10_000);
    expect(counters.get('children|all|total')).toBe(10_000);
    expect(counters.get('scans|all|total')).toBe(10_000);
  });

  test('a failing statement rolls the whole flush back', async () => {
    const { db } = ctx();
    await insertBasics(db);
    // The scans statement runs last; its CHECK on result fails after parent and links were written.
    const bad = { ...scan('rb1', 'KID1', 'SB00040', 1), result: 'bogus' } as unknown as ScanRecord;
    const batch: FlushBatch = { parent: parent('SB00040', 1), changes: [link('rb-e1', 'KID1', 'SB00040', 1)], scans: [bad] };
    await expect(flushBatch(db, batch)).rejects.toThrow(/scans_result_check/);
    expect(await count(db, 'bags')).toBe(0);
    expect(await count(db, 'links')).toBe(0);
    expect(await count(db, 'counters')).toBe(0);
  });
});

describeMatrix('flush audit rows', (ctx) => {
  test('link, undo, unlink, open and complete each write one audit row keyed by event; replays add none', async () => {
    const { db } = ctx();
    await insertBasics(db);
    const first: FlushBatch = {
      parent: parent('SB00077', 3, { status: 'completed', childCount: 2, completedAt: at(5), completedBy: 2 }),
      changes: [link('e1', 'AUD0001', 'SB00077', 1), link('e2', 'AUD0002', 'SB00077', 2), unlink('u1', 'AUD0001', 'SB00077', 3), link('e3', 'AUD0003', 'SB00077', 4)],
      scans: [],
    };
    const second: FlushBatch = {
      parent: null,
      changes: [{ ...unlink('u2', 'AUD0002', 'SB00077', 6), reason: 'unlink', userId: 2 }],
      scans: [],
    };
    await flushBatch(db, first);
    await flushBatch(db, second);
    const rows = await queryRows<{ action: string; entity_id: string; actor_id: number; actor_username: string; before: unknown; after: unknown; event_id: string; at: string }>(
      db,
      sql`SELECT action, entity_id, actor_id, actor_username, before, after, event_id, to_char(at AT TIME ZONE 'UTC', 'HH24:MI:SS') AS at FROM audit_log ORDER BY at, id`,
    );
    expect(rows.map((r) => [r.action, r.entity_id, r.actor_username, r.event_id, r.at])).toEqual([
      ['parent.open', 'SB00077', 'dispatcher', expect.stringMatching(/^open:SB00077:\d+$/), '05:00:00'],
      ['scan.link', 'AUD0001', 'dispatcher', 'link:SB00077 e1', '05:00:01'],
      ['scan.link', 'AUD0002', 'dispatcher', 'link:SB00077 e2', '05:00:02'],
      ['scan.undo', 'AUD0001', 'dispatcher', 'unlink:SB00077 u1', '05:00:03'],
      ['scan.link', 'AUD0003', 'dispatcher', 'link:SB00077 e3', '05:00:04'],
      ['parent.complete', 'SB00077', 'dispatcher2', expect.stringMatching(/^complete:SB00077:\d+$/), '05:00:05'],
      ['scan.unlink', 'AUD0002', 'dispatcher2', 'unlink:SB00077 u2', '05:00:06'],
    ]);
    expect(rows[3]!.before).toEqual({ parentQr: 'SB00077' });
    expect(rows[1]!.after).toEqual({ parentQr: 'SB00077' });
    const before = await snapshotTables(db);
    await flushBatch(db, first);
    await flushBatch(db, second);
    expect(await snapshotTables(db)).toEqual(before);
  });
});
