import { describe, expect, it } from 'vitest';
import { sql, waitFor } from './db';
import { api, uniqueChild, uniqueParent } from './helpers';
import { areaId, insertBags, insertBill, insertLink, insertScans, rows, tag, userId } from './read-fixtures';

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
    // Another area's bag reads exactly like a QR nobody scanned: same 404, message shape and suggestions.
    for (const [qr, who] of [[`${t}P`, 'dispatcher2'], [`${t}I`, 'dispatcher'], [`${t}I`, 'supervisor']] as const) {
      const hidden = await api('GET', `/api/bags/${qr}`, { as: who });
      const never = await api('GET', `/api/bags/${qr.slice(0, -1)}Q`, { as: who });
      expect(hidden.status, `${qr} as ${who}`).toBe(404);
      expect(hidden.body.error.code).toBe('NOT_FOUND');
      expect(hidden.body.error.message).toBe(`No bag with QR ${qr}.`);
      expect(Object.keys(hidden.body.error).sort()).toEqual(Object.keys(never.body.error).sort());
      expect(hidden.body.error.suggestions).not.toContain(qr);
    }
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

describe('lookup history for dispatchers and supervisors', () => {
  it('leaves out what happened in other areas and who did it there', async () => {
    const [lucknow, indore] = [await areaId('Lucknow'), await areaId('Indore')];
    const [disp, disp2] = [await userId('dispatcher'), await userId('dispatcher2')];
    const t = tag('HI');
    const now = Date.now();
    const at = (s: number) => new Date(now - s * 1000).toISOString();
    // A Lucknow child, first scanned by Indore's dispatcher2 into an Indore parent and refused there; now in
    // an Indore parent after all (linked by dispatcher2); and one Lucknow parent with an Indore child in it.
    await insertBags([
      { qr: `${t}C`, type: 'child', areaId: lucknow, status: 'linked', createdAt: at(50), createdBy: disp },
      { qr: `${t}X`, type: 'parent', areaId: indore, status: 'open', createdAt: at(60), createdBy: disp2, childCount: 1 },
      { qr: `${t}L`, type: 'parent', areaId: lucknow, status: 'open', createdAt: at(60), createdBy: disp, childCount: 0 },
    ]);
    await insertScans([
      { scanId: `${t}-s1`, parentQr: `${t}L`, childQr: `${t}C`, userId: disp, areaId: lucknow, result: 'linked', at: at(41) },
      { scanId: `${t}-s2`, parentQr: `${t}X`, childQr: `${t}C`, userId: disp2, areaId: indore, result: 'rejected', errorCode: 'CHILD_IN_OTHER_PARENT', at: at(30) },
    ]);
    await rows(sql`INSERT INTO link_events (event_id, kind, child_qr, parent_qr, at, user_id, reason) VALUES
      (${`${t}-l1`}, 'link', ${`${t}C`}, ${`${t}L`}, ${at(40)}, ${disp}, NULL),
      (${`${t}-u1`}, 'unlink', ${`${t}C`}, ${`${t}L`}, ${at(20)}, ${disp}, 'unlink')`);
    await insertLink(`${t}C`, `${t}X`, at(10), disp2);

    const admin = await api('GET', `/api/bags/${t}C`, { as: 'admin' });
    expect(admin.body.history.map((h: { kind: string; parentQr: string }) => `${h.kind}:${h.parentQr}`)).toEqual([
      `link:${t}X`, `unlink:${t}L`, `scan:${t}X`, `link:${t}L`, `scan:${t}L`,
    ]);
    expect(JSON.stringify(admin.body)).toContain('dispatcher2');

    const own = await api('GET', `/api/bags/${t}C`, { as: 'dispatcher' });
    expect(own.status).toBe(200);
    expect(own.body.history.map((h: { kind: string; parentQr: string }) => `${h.kind}:${h.parentQr}`)).toEqual([`unlink:${t}L`, `link:${t}L`, `scan:${t}L`]);
    // Where the bag is now stays visible (it is Lucknow's bag), but not who handled it in Indore.
    expect(own.body.parent).toMatchObject({ qr: `${t}X`, areaId: indore, createdBy: null, createdByName: null, linkedBy: null });
    expect(JSON.stringify(own.body)).not.toContain('dispatcher2');
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
