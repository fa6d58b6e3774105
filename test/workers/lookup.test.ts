import { describe, expect, it } from 'vitest';
import { sql, waitFor } from './db';
import { api, uniqueChild, uniqueParent } from './helpers';
import { areaId, insertBags, insertBill, insertLink, rows, tag, userId } from './read-fixtures';

describe('GET /api/bags/{qr}', () => {
  it('shows a scanned parent with its children and history, and a child with its parent and bill', async () => {
    const parent = uniqueParent();
    expect((await api('POST', `/api/parents/${parent}/open`, { as: 'dispatcher' })).status).toBe(200);
    const [a, b] = [uniqueChild(), uniqueChild()];
    for (const c of [a, b]) expect((await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: c } })).body.result).toBe('linked');
    await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: a } }); // duplicate
    await waitFor(() => rows(sql`SELECT 1 FROM scans WHERE parent_qr = ${parent}`), (r) => r.length === 3);

    const res = await api('GET', `/api/bags/%20${parent.toLowerCase()}%20`, { as: 'dispatcher' });
    expect(res.status).toBe(200);
    expect(res.body.bag).toMatchObject({ qr: parent, type: 'parent', areaId: await areaId('Lucknow'), status: 'open', childCount: 2, createdBy: await userId('dispatcher') });
    expect(res.body.bag.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(res.body.children.map((c: { qr: string }) => c.qr).sort()).toEqual([a, b].sort());
    expect(res.body.parent).toBeUndefined();
    const kinds = res.body.history.map((h: { kind: string; result?: string }) => `${h.kind}:${h.result ?? ''}`).sort();
    expect(kinds).toEqual(['link:', 'link:', 'scan:duplicate', 'scan:linked', 'scan:linked']);
    // Newest first.
    const times = res.body.history.map((h: { at: string }) => h.at);
    expect([...times].sort().reverse()).toEqual(times);

    const billNo = tag('BILL');
    await insertBill({ billNo, destination: 'Kanpur', parents: [{ qr: parent, addedAt: new Date().toISOString(), addedBy: await userId('biller') }] });
    const child = await api('GET', `/api/bags/${a}`, { as: 'supervisor' });
    expect(child.status).toBe(200);
    expect(child.body.bag).toMatchObject({ qr: a, type: 'child', status: 'linked' });
    expect(child.body.parent).toMatchObject({ qr: parent, type: 'parent', linkedBy: 'dispatcher' });
    expect(child.body.children).toBeUndefined();
    expect(child.body.bill).toMatchObject({ billNo, destination: 'Kanpur', finalized: false });
    const own = await api('GET', `/api/bags/${parent}`, { as: 'biller' });
    expect(own.body.bill.billNo).toBe(billNo);
    expect(own.body.history.some((h: { kind: string; billNo?: string }) => h.kind === 'bill_add' && h.billNo === billNo)).toBe(true);
  });

  it('answers 404 NOT_FOUND with trigram suggestions for a near miss', async () => {
    const qr = `${tag('SG')}XY`;
    const lucknow = await areaId('Lucknow');
    await insertBags([{ qr, type: 'child', areaId: lucknow, status: 'unlinked', createdAt: new Date().toISOString() }]);
    const typo = `${qr.slice(0, -1)}Z`;
    const res = await api('GET', `/api/bags/${typo.toLowerCase()}`, { as: 'admin' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(res.body.error.suggestions).toContain(qr);
    expect(res.body.error.suggestions.length).toBeLessThanOrEqual(5);
    const far = await api('GET', '/api/bags/QQQQQQQQQQQQQQQQ', { as: 'admin' });
    expect(far.status).toBe(404);
    expect(far.body.error.suggestions).toEqual([]);
    expect((await api('GET', `/api/bags/${'A'.repeat(65)}`, { as: 'admin' })).body.error.code).toBe('INVALID_QR');
  });

  it('limits dispatchers and supervisors to their own area, children also via their parent', async () => {
    const [lucknow, indore] = [await areaId('Lucknow'), await areaId('Indore')];
    const t = tag('AR');
    const now = new Date().toISOString();
    await insertBags([
      { qr: `${t}P`, type: 'parent', areaId: lucknow, status: 'open', createdAt: now, childCount: 1 },
      { qr: `${t}C`, type: 'child', areaId: indore, status: 'linked', createdAt: now },
      { qr: `${t}I`, type: 'child', areaId: indore, status: 'unlinked', createdAt: now },
    ]);
    await insertLink(`${t}C`, `${t}P`, now);
    expect((await api('GET', `/api/bags/${t}P`, { as: 'dispatcher2' })).body.error.code).toBe('AREA_FORBIDDEN');
    expect((await api('GET', `/api/bags/${t}I`, { as: 'dispatcher' })).body.error.code).toBe('AREA_FORBIDDEN');
    expect((await api('GET', `/api/bags/${t}I`, { as: 'supervisor' })).status).toBe(403);
    // An Indore child sitting in a Lucknow parent: visible in both areas.
    expect((await api('GET', `/api/bags/${t}C`, { as: 'dispatcher' })).status).toBe(200);
    expect((await api('GET', `/api/bags/${t}C`, { as: 'dispatcher2' })).status).toBe(200);
    for (const who of ['admin', 'biller']) expect((await api('GET', `/api/bags/${t}I`, { as: who })).status).toBe(200);
    // Suggestions never name another area's bags.
    const near = await api('GET', `/api/bags/${t}J`, { as: 'dispatcher' });
    expect(near.status).toBe(404);
    expect(near.body.error.suggestions).not.toContain(`${t}I`);
    expect(near.body.error.suggestions).toContain(`${t}P`);
    expect((await api('GET', `/api/bags/${t}J`, { as: 'admin' })).body.error.suggestions).toContain(`${t}I`);
    expect((await api('GET', `/api/bags/${t}P`)).status).toBe(401);
  });
});

describe('reads while Postgres is down', () => {
  it('answer 503 UNAVAILABLE (never 500), and work again once it is back', async () => {
    const { setDatabase } = await import('./db');
    const qr = `${tag('DN')}X`;
    await insertBags([{ qr, type: 'child', areaId: await areaId('Lucknow'), status: 'unlinked', createdAt: new Date().toISOString() }]);
    expect((await api('GET', `/api/bags/${qr}`, { as: 'admin' })).status).toBe(200);
    await setDatabase(false);
    try {
      for (const path of [`/api/bags/${qr}`, '/api/stats', '/api/bags?limit=5', '/api/scans?limit=5']) {
        const res = await api('GET', path, { as: 'admin' });
        expect(res.status, path).toBe(503);
        expect(res.body.error.code, path).toBe('UNAVAILABLE');
      }
    } finally {
      await setDatabase(true);
    }
    const back = await waitFor(() => api('GET', `/api/bags/${qr}`, { as: 'admin' }), (r) => r.status === 200);
    expect(back.body.bag.qr).toBe(qr);
  });
});
