import { describe, expect, it } from 'vitest';
import { sql } from './db';
import { encodeCursor } from '../../src/db/list';
import { api } from './helpers';
import { allPages, areaId, rows, insertBags, insertBill, insertScans, tag, userId } from './read-fixtures';

const T = (minute: number) => new Date(Date.UTC(2025, 5, 1, 6, minute)).toISOString();

/** Seven bags under one prefix: two share a created_at (the qr breaks the tie), one Indore, mixed types. */
async function seedBags() {
  const t = tag('LS');
  const [lucknow, indore, disp] = [await areaId('Lucknow'), await areaId('Indore'), await userId('dispatcher')];
  await insertBags([
    { qr: `${t}01`, type: 'parent', areaId: lucknow, status: 'completed', createdAt: T(1), createdBy: disp, childCount: 30 },
    { qr: `${t}02`, type: 'parent', areaId: lucknow, status: 'open', createdAt: T(2), createdBy: disp },
    { qr: `${t}03`, type: 'child', areaId: lucknow, status: 'linked', createdAt: T(3), createdBy: disp },
    { qr: `${t}04`, type: 'child', areaId: lucknow, status: 'linked', createdAt: T(3), createdBy: disp },
    { qr: `${t}05`, type: 'child', areaId: lucknow, status: 'unlinked', createdAt: T(4) },
    { qr: `${t}06`, type: 'child', areaId: lucknow, status: 'linked', createdAt: T(5) },
    { qr: `${t}07`, type: 'child', areaId: indore, status: 'linked', createdAt: T(6) },
  ]);
  await insertBill({ billNo: tag('B'), parents: [{ qr: `${t}01`, addedAt: T(10) }] });
  return { t, lucknow, indore, disp };
}

const qrs = (items: Array<{ qr: string }>) => items.map((i) => i.qr);

describe('GET /api/bags', () => {
  it('pages newest first through every row exactly once, ties broken by QR, last page nextCursor null', async () => {
    const { t } = await seedBags();
    const pages = await allPages(async (cursor) => {
      const res = await api('GET', `/api/bags?q=${t}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { as: 'admin' });
      expect(res.status).toBe(200);
      return res.body;
    });
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((i) => i.qr)).toEqual([7, 6, 5, 4, 3, 2, 1].map((n) => `${t}0${n}`));
    expect(pages[0]![0]).toMatchObject({ qr: `${t}07`, type: 'child', status: 'linked', createdAt: T(6) });
  });

  it('ends with nextCursor null on an exact page boundary, and answers an empty list', async () => {
    const { t, lucknow } = await seedBags();
    const first = await api('GET', `/api/bags?q=${t}&areaId=${lucknow}&limit=3`, { as: 'admin' });
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api('GET', `/api/bags?q=${t}&areaId=${lucknow}&limit=3&cursor=${first.body.nextCursor}`, { as: 'admin' });
    expect(qrs(second.body.items)).toEqual([`${t}03`, `${t}02`, `${t}01`]);
    expect(second.body.nextCursor).toBeNull();
    const all = await api('GET', `/api/bags?q=${t}&areaId=${lucknow}&limit=6`, { as: 'admin' });
    expect(all.body.items).toHaveLength(6);
    expect(all.body.nextCursor).toBeNull();
    const empty = await api('GET', `/api/bags?q=${tag('NONE')}`, { as: 'admin' });
    expect(empty.body).toEqual({ items: [], nextCursor: null });
  });

  it('applies each filter', async () => {
    const { t, indore, disp } = await seedBags();
    const list = async (query: string) => {
      const res = await api('GET', `/api/bags?q=${t}&${query}`, { as: 'admin' });
      expect(res.status).toBe(200);
      return qrs(res.body.items).map((q: string) => q.slice(-2));
    };
    expect(await list('type=parent')).toEqual(['02', '01']);
    expect(await list('status=linked')).toEqual(['07', '06', '04', '03']);
    expect(await list('linked=false')).toEqual(['05']);
    expect(await list('linked=true&areaId=' + indore)).toEqual(['07']);
    expect(await list('billed=true')).toEqual(['01']);
    expect(await list('billed=false')).toEqual(['02']);
    expect(await list(`scannedBy=${disp}`)).toEqual(['04', '03', '02', '01']);
    expect(await list(`from=${encodeURIComponent(T(3))}&to=${encodeURIComponent(T(4))}`)).toEqual(['05', '04', '03']);
    expect(await list('from=2025-06-02')).toEqual([]);
    expect(await list('to=2025-06-01')).toHaveLength(7);
  });

  it('rejects bad cursors, limits and filters with 400 INVALID_INPUT', async () => {
    for (const query of [
      'cursor=not*base64',
      `cursor=${encodeCursor(['yesterday', 'X'])}`,
      `cursor=${encodeCursor([1, 2, 3])}`,
      'cursor=' + btoa('{"a":1}'),
      'limit=0',
      'limit=201',
      'limit=abc',
      'type=box',
      'linked=maybe',
      'from=last-week',
      'areaId=-1',
      'unknown=1',
    ]) {
      const res = await api('GET', `/api/bags?${query}`, { as: 'admin' });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('INVALID_INPUT');
    }
    const max = await api('GET', `/api/bags?limit=200&q=${tag('NONE')}`, { as: 'admin' });
    expect(max.status).toBe(200);
  });

  it('keeps dispatchers and supervisors to their own area', async () => {
    const { t, indore, lucknow } = await seedBags();
    for (const who of ['dispatcher', 'supervisor']) {
      const own = await api('GET', `/api/bags?q=${t}`, { as: who });
      expect(own.body.items.every((i: { areaId: number }) => i.areaId === lucknow)).toBe(true);
      expect(own.body.items).toHaveLength(6);
      const other = await api('GET', `/api/bags?q=${t}&areaId=${indore}`, { as: who });
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe('AREA_FORBIDDEN');
    }
    expect((await api('GET', `/api/bags?q=${t}`, { as: 'dispatcher2' })).body.items.map((i: { qr: string }) => i.qr)).toEqual([`${t}07`]);
  });
});

describe('GET /api/scans', () => {
  it('filters and pages scan history, area-limited', async () => {
    const t = tag('SC');
    const [lucknow, indore, disp, disp2] = [await areaId('Lucknow'), await areaId('Indore'), await userId('dispatcher'), await userId('dispatcher2')];
    const results = ['linked', 'linked', 'duplicate', 'rejected', 'linked'];
    await insertScans(
      results.map((result, i) => ({
        scanId: `${t}-${i}`,
        parentQr: `${t}P`,
        childQr: `${t}C${i % 3}`,
        userId: i === 4 ? disp2 : disp,
        areaId: i === 4 ? indore : lucknow,
        result,
        errorCode: result === 'rejected' ? 'CHILD_IN_OTHER_PARENT' : null,
        at: T(i),
      })),
    );
    const pages = await allPages(async (cursor) => (await api('GET', `/api/scans?parentQr=${t.toLowerCase()}p&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { as: 'admin' })).body);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((s) => s.scanId)).toEqual([4, 3, 2, 1, 0].map((i) => `${t}-${i}`));
    expect(pages[0]![1]).toMatchObject({ result: 'rejected', errorCode: 'CHILD_IN_OTHER_PARENT', username: 'dispatcher', childQr: `${t}C0`, at: T(3) });
    const ids = async (query: string, as = 'admin') => (await api('GET', `/api/scans?parentQr=${t}P&${query}`, { as })).body.items.map((s: { scanId: string }) => s.scanId.split('-')[1]);
    expect(await ids('result=linked')).toEqual(['4', '1', '0']);
    expect(await ids(`childQr=${t}C1`)).toEqual(['4', '1']);
    expect(await ids(`userId=${disp2}`)).toEqual(['4']);
    expect(await ids(`scannedBy=${disp}&result=duplicate`)).toEqual(['2']);
    expect(await ids(`areaId=${indore}`)).toEqual(['4']);
    expect(await ids(`from=${encodeURIComponent(T(1))}&to=${encodeURIComponent(T(2))}`)).toEqual(['2', '1']);
    expect(await ids('', 'supervisor')).toEqual(['3', '2', '1', '0']);
    expect((await api('GET', `/api/scans?areaId=${indore}`, { as: 'supervisor' })).body.error.code).toBe('AREA_FORBIDDEN');
    expect((await api('GET', '/api/scans?result=ok', { as: 'admin' })).status).toBe(400);
    expect((await api('GET', `/api/scans?userId=${disp}&scannedBy=${disp2}`, { as: 'admin' })).status).toBe(400);
  });
});

describe('GET /api/audit', () => {
  it('is for admins only, filters by actor, action, entity and time, and pages', async () => {
    const id = tag('AU');
    const admin = await userId('admin');
    for (const [i, action] of ['user.create', 'user.update', 'bill.create', 'bill.finalize'].entries()) {
      await rows(sql`INSERT INTO audit_log (at, actor_id, actor_username, action, entity_type, entity_id, before, after, ip, request_id)
        VALUES (${T(i)}, ${i < 2 ? admin : null}, ${i < 2 ? 'admin' : 'biller'}, ${action}, ${action.split('.')[0]}, ${id},
          ${i === 1 ? '{"role":"dispatcher"}' : null}::jsonb, '{"role":"supervisor"}'::jsonb, '10.0.0.1', ${`req-${i}`})`);
    }
    for (const who of ['dispatcher', 'supervisor', 'biller']) expect((await api('GET', '/api/audit', { as: who })).status).toBe(403);
    const pages = await allPages(async (cursor) => (await api('GET', `/api/audit?entityId=${id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { as: 'admin' })).body);
    expect(pages.map((p) => p.length)).toEqual([3, 1]);
    const all = pages.flat();
    expect(all.map((a) => a.action)).toEqual(['bill.finalize', 'bill.create', 'user.update', 'user.create']);
    expect(all[2]).toMatchObject({ actorId: admin, actorUsername: 'admin', entityType: 'user', before: { role: 'dispatcher' }, after: { role: 'supervisor' }, ip: '10.0.0.1', requestId: 'req-1' });
    const actions = async (query: string) => (await api('GET', `/api/audit?entityId=${id}&${query}`, { as: 'admin' })).body.items.map((a: { action: string }) => a.action);
    expect(await actions('actor=Admin')).toEqual(['user.update', 'user.create']);
    expect(await actions(`actor=${admin}`)).toEqual(['user.update', 'user.create']);
    expect(await actions('action=bill.')).toEqual(['bill.finalize', 'bill.create']);
    expect(await actions('action=bill.create')).toEqual(['bill.create']);
    expect(await actions('entity=user')).toEqual(['user.update', 'user.create']);
    expect(await actions(`from=${encodeURIComponent(T(1))}&to=${encodeURIComponent(T(2))}`)).toEqual(['bill.create', 'user.update']);
    expect((await api('GET', '/api/audit?cursor=abc', { as: 'admin' })).body.error.code).toBe('INVALID_INPUT');
  });
});
