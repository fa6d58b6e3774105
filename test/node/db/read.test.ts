// The read queries through both drivers (postgres.js and neon-http) on every Postgres target.
import { expect, test } from 'vitest';
import { counterMismatches } from '../../../src/db/counters';
import { flushBatch } from '../../../src/db/flush';
import { listPage } from '../../../src/db/list';
import { bagItem, bagListSpec, lookupBag, suggestQrs } from '../../../src/worker/read/bags';
import { dailyReport } from '../../../src/worker/read/reports';
import { scanItem, scanListSpec } from '../../../src/worker/read/scans';
import { readHourly, readStats } from '../../../src/worker/read/stats';
import { fullBatch, insertBasics, unlink } from '../../support/fixtures';
import { describeMatrix } from '../../support/matrix';

const TZ = 'Asia/Kolkata';

describeMatrix('read side', (ctx) => {
  test('lookup, suggestions, pages, stats and reports over flushed data', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBatch(db, fullBatch('A', 'SB00001', 5));
    await flushBatch(db, fullBatch('B', 'SB00002', 3, 2, 2));
    await flushBatch(db, { parent: null, changes: [unlink('u1', 'AC000004', 'SB00001', 100)], scans: [] });

    const parent = await lookupBag(db, 'SB00001');
    expect(parent?.bag).toMatchObject({ qr: 'SB00001', type: 'parent', areaId: 1, createdByName: 'dispatcher' });
    expect(parent?.children?.map((c) => c.qr)).toEqual(['AC000000', 'AC000001', 'AC000002', 'AC000003']);
    expect(parent?.history.filter((h) => h.kind === 'unlink')).toEqual([expect.objectContaining({ childQr: 'AC000004', reason: 'undo' })]);
    const child = await lookupBag(db, 'BC000001');
    expect(child?.parent).toMatchObject({ qr: 'SB00002', areaId: 2 });
    expect(await lookupBag(db, 'NOPE')).toBeNull();
    expect(await suggestQrs(db, 'SB00003', undefined)).toEqual(expect.arrayContaining(['SB00001', 'SB00002']));
    expect(await suggestQrs(db, 'SB00003', 2)).toEqual(['SB00002']);

    const first = await listPage(db, bagListSpec({ type: 'child' }, TZ), { limit: 5 }, bagItem);
    expect(first.items).toHaveLength(5);
    const rest = await listPage(db, bagListSpec({ type: 'child' }, TZ), { limit: 5, cursor: first.nextCursor! }, bagItem);
    expect(rest.nextCursor).toBeNull();
    expect(new Set([...first.items, ...rest.items].map((i) => i.qr)).size).toBe(8);
    expect((await listPage(db, bagListSpec({ linked: false }, TZ), { limit: 5 }, bagItem)).items.map((i) => i.qr)).toEqual(['AC000004']);
    const scans = await listPage(db, scanListSpec({ areaId: 2 }, TZ), { limit: 50 }, scanItem);
    expect(scans.items.map((s) => s.scanId)).toEqual(['B-s2', 'B-s1', 'B-s0']);

    const stats = await readStats(db, { today: '2025-03-10', timeZone: TZ, active: { total: 0, byArea: {} } });
    expect(stats).toMatchObject({ parents: 2, children: 8, links: 7, scansToday: 8 });
    expect(stats.byArea.find((a) => a.areaId === 2)).toMatchObject({ parents: 1, children: 3, links: 3, scansToday: 3 });
    const hourly = await readHourly(db, '2025-03-10', undefined);
    expect(hourly[0]!.hours[10]).toEqual({ hour: 10, scans: 8, linked: 8, duplicate: 0, rejected: 0 });
    const daily = await dailyReport(db, '2025-03-10', undefined, TZ);
    expect(daily.total).toEqual({ scans: 8, linked: 8, duplicate: 0, rejected: 0 });
    expect(await counterMismatches(db, TZ)).toEqual([]);
  });
});
