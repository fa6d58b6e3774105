// Event ids in Postgres (issue 10, point 1): ids are scoped by their parent, rows queued before that (bare
// client scanIds, still in outboxes and flush queues at the deploy) still flush correctly, and an id Postgres
// already holds for a different event is recorded as a conflict, never dropped.
import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { flushBill, type BillFlushEvent, type BillSnapshot } from '../../../src/db/bill-flush';
import { queryRows, type Db } from '../../../src/db/client';
import { counterMismatches } from '../../../src/db/counters';
import { flushBatch } from '../../../src/db/flush';
import type { FlushBatch, LinkChange, ScanRecord } from '../../../src/db/flush-types';
import { at, insertBasics, link, parent, scan, snapshotTables, unlink } from '../../support/fixtures';
import { describeMatrix } from '../../support/matrix';

/** Rows as a ParentSession wrote them before ids were scoped: the bare scanId. */
const bare = <T extends LinkChange | ScanRecord>(row: T, id: string): T => ('kind' in row ? { ...row, eventId: id } : { ...row, scanId: id });

const linkOf = async (db: Db, child: string) =>
  (await queryRows<{ parent_qr: string; event_id: string }>(db, sql`SELECT parent_qr, event_id FROM links WHERE child_qr = ${child}`))[0] ?? null;
const scanIds = async (db: Db) => (await queryRows<{ scan_id: string }>(db, sql`SELECT scan_id FROM scans ORDER BY scan_id`)).map((r) => r.scan_id);
const auditIds = async (db: Db) =>
  (await queryRows<{ event_id: string }>(db, sql`SELECT event_id FROM audit_log WHERE action LIKE 'scan.%' ORDER BY event_id`)).map((r) => r.event_id);
const conflictRows = (db: Db) =>
  queryRows<{ event_id: string; kind: string; child_qr: string; parent_qr: string; existing_parent_qr: string | null; detail: any }>(
    db,
    sql`SELECT event_id, kind, child_qr, parent_qr, existing_parent_qr, detail FROM flush_conflicts ORDER BY id`,
  );

describeMatrix('event ids', (ctx) => {
  test('the same key in two parents lands twice: links, undos, scans and audit rows', async () => {
    const { db } = ctx();
    await insertBasics(db);
    const batch: FlushBatch = {
      parent: null,
      parents: [parent('SB00101', 2), parent('SB00102', 2)],
      changes: [link('k1', 'KID101', 'SB00101', 1), link('k1', 'KID102', 'SB00102', 2), unlink('u1', 'KID101', 'SB00101', 3), unlink('u1', 'KID102', 'SB00102', 4)],
      scans: [scan('k1', 'KID101', 'SB00101', 1), scan('k1', 'KID102', 'SB00102', 2)],
    };
    expect((await flushBatch(db, batch)).conflicts).toEqual([]);
    expect(await queryRows(db, sql`SELECT count(*)::int AS n FROM link_events`)).toEqual([{ n: 4 }]);
    expect(await scanIds(db)).toEqual(['SB00101 k1', 'SB00102 k1']);
    expect(await auditIds(db)).toEqual(['link:SB00101 k1', 'link:SB00102 k1', 'unlink:SB00101 u1', 'unlink:SB00102 u1']);
    expect(await counterMismatches(db)).toEqual([]);
  });

  test('rows queued before scoping (bare scanIds) reach Postgres for both parents and replay as no-ops', async () => {
    const { db } = ctx();
    await insertBasics(db);
    // Two parents' devices both used scanId "X" (and "U" for an undo) before the deploy.
    const legacy: FlushBatch = {
      parent: null,
      parents: [parent('SB00201', 2), parent('SB00202', 2)],
      changes: [
        bare(link('X', 'KID201', 'SB00201', 1), 'X'),
        bare(link('X', 'KID202', 'SB00202', 2), 'X'),
        bare(link('Y', 'KID203', 'SB00202', 3), 'Y'),
        bare(unlink('U', 'KID203', 'SB00202', 4), 'U'),
      ],
      scans: [bare(scan('X', 'KID201', 'SB00201', 1), 'X'), bare(scan('X', 'KID202', 'SB00202', 2), 'X')],
    };
    expect((await flushBatch(db, legacy)).conflicts).toEqual([]);
    expect(await linkOf(db, 'KID201')).toEqual({ parent_qr: 'SB00201', event_id: 'SB00201 X' });
    expect(await linkOf(db, 'KID202')).toEqual({ parent_qr: 'SB00202', event_id: 'SB00202 X' });
    expect(await linkOf(db, 'KID203')).toBeNull();
    expect(await scanIds(db)).toEqual(['SB00201 X', 'SB00202 X']);
    expect(await auditIds(db)).toEqual(['link:SB00201 X', 'link:SB00202 X', 'link:SB00202 Y', 'unlink:SB00202 U']);
    const before = await snapshotTables(db);
    await flushBatch(db, legacy);
    await flushBatch(db, { ...legacy, changes: legacy.changes.slice(1), scans: legacy.scans.slice(1) });
    expect(await snapshotTables(db)).toEqual(before);
    expect(await counterMismatches(db)).toEqual([]);
  });

  test('a bare id Postgres already holds for the very same event (flushed before the deploy) stays a no-op', async () => {
    const { db } = ctx();
    await insertBasics(db);
    const ev = bare(link('OLD', 'KID301', 'SB00301', 1), 'OLD');
    const sc = bare(scan('OLD', 'KID301', 'SB00301', 1), 'OLD');
    // What the old code wrote for it.
    await flushBatch(db, { parent: parent('SB00301', 1), changes: [], scans: [] });
    await db.execute(sql`INSERT INTO bags (qr, type, area_id, status, created_by, created_at, updated_at) VALUES ('KID301', 'child', 1, 'linked', 1, ${ev.at}, ${ev.at})`);
    await db.execute(sql`INSERT INTO link_events (event_id, kind, child_qr, parent_qr, at, user_id) VALUES ('OLD', 'link', 'KID301', 'SB00301', ${ev.at}, 1)`);
    await db.execute(sql`INSERT INTO links (child_qr, parent_qr, linked_at, linked_by, event_id) VALUES ('KID301', 'SB00301', ${ev.at}, 1, 'OLD')`);
    await db.execute(sql`INSERT INTO scans (scan_id, parent_qr, child_qr, user_id, area_id, result, created_at) VALUES ('OLD', 'SB00301', 'KID301', 1, 1, 'linked', ${sc.at})`);
    const before = await snapshotTables(db);
    expect((await flushBatch(db, { parent: null, changes: [ev], scans: [sc] })).conflicts).toEqual([]);
    const after = await snapshotTables(db);
    expect(after.link_events).toEqual(before.link_events);
    expect(after.scans).toEqual(before.scans);
    expect(after.links).toEqual(before.links);
  });

  test('an id Postgres holds for a different event is recorded as a conflict and answered on every replay, never dropped', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: parent('SB00401', 1), changes: [link('R', 'KID401', 'SB00401', 1)], scans: [scan('R', 'KID401', 'SB00401', 1)] });
    // The same parent reuses key R for another child (e.g. after it lost its stored answers).
    const reuse: FlushBatch = { parent: null, changes: [link('R', 'KID402', 'SB00401', 2)], scans: [scan('R', 'KID402', 'SB00401', 2)] };
    const first = (await flushBatch(db, reuse)).conflicts;
    expect(first).toHaveLength(2);
    expect(first.map((c) => [c.kind, c.eventId, c.childQr, c.parentQr, c.detail?.table])).toEqual([
      ['event_id_reused', 'SB00401 R', 'KID402', 'SB00401', 'link_events'],
      ['event_id_reused', 'SB00401 R', 'KID402', 'SB00401', 'scans'],
    ]);
    expect(first[0]!.detail).toMatchObject({ stored: { child_qr: 'KID401' }, refused: { child_qr: 'KID402' } });
    expect((await flushBatch(db, reuse)).conflicts).toEqual(first);
    const recorded = await conflictRows(db);
    expect(recorded.map((r) => [r.kind, r.event_id, r.child_qr, r.existing_parent_qr])).toEqual([
      ['event_id_reused', 'SB00401 R', 'KID402', 'SB00401'],
      ['event_id_reused', 'SB00401 R', 'KID402', 'SB00401'],
    ]);
    // Nothing of the refused event was applied.
    expect(await linkOf(db, 'KID402')).toBeNull();
    expect(await queryRows(db, sql`SELECT count(*)::int AS n FROM bags WHERE qr = 'KID402'`)).toEqual([{ n: 0 }]);
    expect(await scanIds(db)).toEqual(['SB00401 R']);
    expect(await counterMismatches(db)).toEqual([]);
  });

  test('two different events under one id in one batch: the first applies, the second is recorded', async () => {
    const { db } = ctx();
    await insertBasics(db);
    const r = await flushBatch(db, { parent: parent('SB00501', 2), changes: [link('D', 'KID501', 'SB00501', 1), link('D', 'KID502', 'SB00501', 2)], scans: [] });
    expect(r.conflicts.map((c) => [c.kind, c.childQr])).toEqual([['event_id_reused', 'KID502']]);
    expect(await linkOf(db, 'KID501')).toMatchObject({ parent_qr: 'SB00501' });
    expect(await linkOf(db, 'KID502')).toBeNull();
  });
});

describeMatrix('bill event ids', (ctx) => {
  const snapshot: BillSnapshot = {
    billNo: 'B-EV',
    destination: 'Delhi',
    vehicleNo: 'UP32',
    description: null,
    capacity: 5,
    status: 'in_progress',
    finalized: false,
    finalizedAt: null,
    createdBy: 1,
    createdAt: at(0),
  };
  const event = (eventId: string, kind: BillFlushEvent['kind'], parentQr: string | null, t: number, billNo = 'B-EV'): BillFlushEvent => ({
    eventId,
    kind,
    billNo,
    at: at(t),
    parentQr,
    addedAt: at(t),
    actor: { actorId: 1, actorUsername: 'dispatcher', ip: null, userAgent: null, requestId: null },
    before: null,
    after: { parentQr },
  });

  test('an audit event id Postgres holds for another change is recorded, and the change is not applied', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, { parent: null, parents: [parent('SB00601', 1), parent('SB00602', 1)], changes: [], scans: [] });
    expect((await flushBill(db, snapshot, [event('ev-1', 'create', null, 0), event('ev-2', 'add', 'SB00601', 1)])).conflicts).toEqual([]);
    const clash = [event('ev-2', 'add', 'SB00602', 2)];
    const r = await flushBill(db, snapshot, clash);
    expect(r.conflicts.map((c) => [c.kind, c.eventId, c.parentQr, c.detail?.table])).toEqual([['event_id_reused', 'ev-2', 'SB00602', 'audit_log']]);
    expect((await flushBill(db, snapshot, clash)).conflicts).toEqual(r.conflicts);
    expect(await queryRows(db, sql`SELECT bag_qr FROM bill_bags`)).toEqual([{ bag_qr: 'SB00601' }]);
    expect((await conflictRows(db)).map((c) => [c.kind, c.event_id, c.parent_qr])).toEqual([['event_id_reused', 'ev-2', 'SB00602']]);
    // A plain replay of the original event changes nothing and records nothing new.
    await flushBill(db, snapshot, [event('ev-2', 'add', 'SB00601', 1)]);
    expect(await queryRows(db, sql`SELECT bag_qr FROM bill_bags`)).toEqual([{ bag_qr: 'SB00601' }]);
    expect(await conflictRows(db)).toHaveLength(1);
  });
});
