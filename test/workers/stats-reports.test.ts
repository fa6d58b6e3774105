import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { closeDb, getDb } from '../../src/db/client';
import { counterMismatches } from '../../src/db/counters';
import { localDate, previousDate } from '../../src/worker/read/local-time';
import { sql, waitFor } from './db';
import { api, uniqueChild, uniqueParent } from './helpers';
import { areaId, insertBags, insertBill, insertScans, newArea, rows, tag, userId } from './read-fixtures';

const TZ = 'Asia/Kolkata';

async function mismatches() {
  const db = getDb({ DATABASE_URL: env.DIRECT_DATABASE_URL });
  try {
    return await counterMismatches(db, TZ);
  } finally {
    await closeDb(db);
  }
}

/** What the live board sends after a push: figures read now, not the isolate's one-second snapshot. */
const FRESH = { 'cache-control': 'no-cache' };

async function setCounter(name: string, scope: string, period: string, value: number) {
  // Slot 0 holds the value; any other slot of the counter is cleared (a counter is the sum of its slots).
  await rows(sql`DELETE FROM counters WHERE name = ${name} AND scope = ${scope} AND period = ${period} AND slot <> 0`);
  await rows(sql`INSERT INTO counters (name, scope, period, slot, value) VALUES (${name}, ${scope}, ${period}, 0, ${value})
    ON CONFLICT (name, scope, period, slot) DO UPDATE SET value = excluded.value`);
}

describe('GET /api/stats', () => {
  it('answers totals, today and per-area figures from the counters table', async () => {
    const area = await newArea();
    const today = localDate(new Date(), TZ);
    await setCounter('parents', `area:${area}`, 'total', 12);
    await setCounter('children', `area:${area}`, 'total', 345);
    await setCounter('links', `area:${area}`, 'total', 340);
    await setCounter('scans', `area:${area}`, today, 77);
    await setCounter('scans', `area:${area}`, previousDate(today), 1000);
    const res = await api('GET', '/api/stats', { as: 'admin', headers: FRESH });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ parents: expect.any(Number), children: expect.any(Number), links: expect.any(Number), scansToday: expect.any(Number), activeSessions: expect.any(Number), date: today });
    expect(res.body.bills).toEqual({ open: expect.any(Number), completed: expect.any(Number) });
    const mine = res.body.byArea.find((a: { areaId: number }) => a.areaId === area);
    expect(mine).toMatchObject({ parents: 12, children: 345, links: 340, scansToday: 77, activeSessions: 0 });
    // The 'all' scope is what the flush maintains alongside: read it back the same way.
    const [all] = await rows<{ v: string }>(sql`SELECT coalesce(sum(value), 0) AS v FROM counters WHERE name = 'parents' AND scope = 'all' AND period = 'total'`);
    expect(res.body.parents).toBe(Number(all!.v));

    // A plain read (the dashboard) may be the snapshot of the read above, a few seconds old at most: the
    // counter written now shows up within that, once a background refresh has run.
    const links = (r: { body: { byArea: Array<{ areaId: number; links: number }> } }) => r.body.byArea.find((a) => a.areaId === area)!.links;
    await setCounter('links', `area:${area}`, 'total', 341);
    expect(links(await api('GET', '/api/stats', { as: 'admin' }))).toBe(340);
    await waitFor(() => api('GET', '/api/stats', { as: 'admin' }), (r) => links(r) === 341);
    // A fresh read (the board after a push) sees a change at once, and replaces the snapshot for the next plain read.
    await setCounter('links', `area:${area}`, 'total', 342);
    expect(links(await api('GET', '/api/stats', { as: 'admin', headers: FRESH }))).toBe(342);
    expect(links(await api('GET', '/api/stats', { as: 'admin' }))).toBe(342);
  });

  it('gives area-limited callers their own area only, and counts open sessions from the live board', async () => {
    const lucknow = await areaId('Lucknow');
    const parent = uniqueParent();
    expect((await api('POST', `/api/parents/${parent}/open`, { as: 'dispatcher' })).status).toBe(200);
    await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: uniqueChild() } });
    const res = await waitFor(() => api('GET', '/api/stats', { as: 'supervisor' }), (r) => r.body.activeSessions > 0);
    expect(res.body.byArea.map((a: { areaId: number }) => a.areaId)).toEqual([lucknow]);
    expect(res.body.activeSessions).toBe(res.body.byArea[0].activeSessions);
    expect((await api('GET', `/api/stats?areaId=${await areaId('Indore')}`, { as: 'supervisor' })).body.error.code).toBe('AREA_FORBIDDEN');
    expect((await api('GET', '/api/stats')).status).toBe(401);
  });

  it('gives the board its day figures per area: parents opened and completed today, rejections today and in the last hour', async () => {
    const area = await newArea();
    const other = await newArea();
    const today = localDate(new Date(), TZ);
    const now = Date.now();
    const ago = (ms: number) => new Date(now - ms).toISOString();
    const user = await userId('admin');
    const p = tag('SB');
    // Completed: two today in this area, one yesterday-or-earlier, one in another area, one still open.
    await insertBags([
      { qr: `${p}1`, type: 'parent', areaId: area, status: 'completed', createdAt: ago(60_000), completedAt: ago(30_000), childCount: 30 },
      { qr: `${p}2`, type: 'parent', areaId: area, status: 'completed', createdAt: ago(120_000), completedAt: ago(90_000), childCount: 30 },
      { qr: `${p}3`, type: 'parent', areaId: area, status: 'completed', createdAt: ago(3 * 86_400_000), completedAt: ago(2 * 86_400_000), childCount: 30 },
      { qr: `${p}4`, type: 'parent', areaId: other, status: 'completed', createdAt: ago(60_000), completedAt: ago(20_000), childCount: 30 },
      { qr: `${p}5`, type: 'parent', areaId: area, status: 'open', createdAt: ago(10_000) },
    ]);
    // Rejections: two within the hour here, one 90 minutes ago, one in the other area; a linked scan does not count.
    const scan = (n: number, areaOf: number, result: string, at: string) => ({ scanId: `${p}-s${n}`, parentQr: `${p}1`, childQr: `${p}C${n}`, userId: user, areaId: areaOf, result, at });
    await insertScans([
      scan(1, area, 'rejected', ago(5 * 60_000)),
      scan(2, area, 'rejected', ago(50 * 60_000)),
      scan(3, area, 'rejected', ago(90 * 60_000)),
      scan(4, other, 'rejected', ago(60_000)),
      scan(5, area, 'linked', ago(60_000)),
    ]);
    // Opened today and rejected today are the counters the flush keeps (written here as it would).
    await setCounter('parents', `area:${area}`, today, 4);
    await setCounter('scans_rejected', `area:${area}`, today, 3);

    const res = await api('GET', '/api/stats', { as: 'admin', headers: FRESH });
    expect(res.status).toBe(200);
    const mine = res.body.byArea.find((a: { areaId: number }) => a.areaId === area);
    const theirs = res.body.byArea.find((a: { areaId: number }) => a.areaId === other);
    expect(mine).toMatchObject({ parentsOpenedToday: 4, parentsCompletedToday: 2, rejectedToday: 3, rejectedLastHour: 2 });
    expect(theirs).toMatchObject({ parentsCompletedToday: 1, rejectedLastHour: 1 });
    // The whole deployment's figures are the sums over the areas.
    for (const k of ['parentsCompletedToday', 'rejectedLastHour'] as const) {
      const sum = res.body.byArea.reduce((t: number, a: Record<string, number>) => t + a[k]!, 0);
      expect(res.body[k]).toBeGreaterThanOrEqual(sum);
    }
    // One area asked for: the top-level figures are that area's.
    const one = await api('GET', `/api/stats?areaId=${area}`, { as: 'admin', headers: FRESH });
    expect(one.body).toMatchObject({ parentsOpenedToday: 4, parentsCompletedToday: 2, rejectedToday: 3, rejectedLastHour: 2 });
  });

  it('counts a parent completed and a rejection through the scan path within seconds of the scan', async () => {
    const lucknow = await areaId('Lucknow');
    const before = (await api('GET', `/api/stats?areaId=${lucknow}`, { as: 'supervisor' })).body;
    const parent = uniqueParent();
    expect((await api('POST', `/api/parents/${parent}/open`, { as: 'dispatcher' })).status).toBe(200);
    // A parent label scanned as a child is refused: a rejection of this area.
    const refused = await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: uniqueParent() } });
    expect(refused.status).toBe(409);
    await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: uniqueChild() } });
    expect((await api('POST', `/api/parents/${parent}/complete`, { as: 'supervisor' })).status).toBe(200);
    const after = await waitFor(
      () => api('GET', `/api/stats?areaId=${lucknow}`, { as: 'supervisor' }),
      (r) => r.body.parentsCompletedToday > before.parentsCompletedToday && r.body.rejectedLastHour > before.rejectedLastHour,
    );
    expect(after.body.parentsOpenedToday).toBeGreaterThan(before.parentsOpenedToday);
    expect(after.body.rejectedToday).toBeGreaterThan(before.rejectedToday);
  });

  it('answers scans per local hour for a day and the day before', async () => {
    const area = await newArea();
    await setCounter('scans', `area:${area}`, '2025-02-10T09', 5);
    await setCounter('scans_duplicate', `area:${area}`, '2025-02-10T09', 2);
    await setCounter('scans', `area:${area}`, '2025-02-09T23', 4);
    const res = await api('GET', `/api/stats/hourly?date=2025-02-10&areaId=${area}`, { as: 'admin' });
    expect(res.status).toBe(200);
    expect(res.body.days.map((d: { date: string }) => d.date)).toEqual(['2025-02-10', '2025-02-09']);
    expect(res.body.days[0].hours).toHaveLength(24);
    expect(res.body.days[0].hours[9]).toEqual({ hour: 9, scans: 5, linked: 0, duplicate: 2, rejected: 0 });
    expect(res.body.days[1].hours[23].scans).toBe(4);
    expect(res.body.days[0].hours.reduce((t: number, h: { scans: number }) => t + h.scans, 0)).toBe(5);
    expect((await api('GET', '/api/stats/hourly?date=10-02-2025', { as: 'admin' })).status).toBe(400);
  });

  it('answers the hourly chart from a snapshot per (date, area scope): a second behind at most, fresh on no-cache', async () => {
    const area = await newArea();
    const path = `/api/stats/hourly?date=2025-03-10&areaId=${area}`;
    const nine = (r: { body: { days: Array<{ hours: Array<{ scans: number }> }> } }) => r.body.days[0]!.hours[9]!.scans;
    await setCounter('scans', `area:${area}`, '2025-03-10T09', 5);
    expect(nine(await api('GET', path, { as: 'admin' }))).toBe(5);
    // A plain read is the snapshot of the read above; the counter written now shows up once a background refresh ran.
    await setCounter('scans', `area:${area}`, '2025-03-10T09', 6);
    expect(nine(await api('GET', path, { as: 'admin' }))).toBe(5);
    await waitFor(() => api('GET', path, { as: 'admin' }), (r) => nine(r) === 6);
    // Cache-Control: no-cache reads now and replaces the snapshot for the next plain read.
    await setCounter('scans', `area:${area}`, '2025-03-10T09', 7);
    expect(nine(await api('GET', path, { as: 'admin', headers: FRESH }))).toBe(7);
    expect(nine(await api('GET', path, { as: 'admin' }))).toBe(7);
    // Another scope (all areas) and another date are snapshots of their own, read afresh the first time.
    const other = await api('GET', `/api/stats/hourly?date=2025-03-11&areaId=${area}`, { as: 'admin' });
    expect(other.body.days.map((d: { date: string }) => d.date)).toEqual(['2025-03-11', '2025-03-10']);
    expect(other.body.days[1].hours[9].scans).toBe(7);
    // The scope is decided before the snapshot: a supervisor asking for another area is still refused.
    expect((await api('GET', path, { as: 'supervisor' })).body.error.code).toBe('AREA_FORBIDDEN');
  });
});

describe('counters', () => {
  it('equal a full recount after scans, duplicates, rejections, unlinks and undo', async () => {
    // Its own area, so rows other tests write straight into Postgres (without counters) are not compared.
    const area = await newArea();
    const scope = `area:${area}`;
    const mine = async () => (await mismatches()).filter((m) => m.scope === scope);
    const [a, b] = [uniqueParent(), uniqueParent()];
    for (const p of [a, b]) expect((await api('POST', `/api/parents/${p}/open`, { as: 'admin', body: { areaId: area } })).status).toBe(200);
    const kids = Array.from({ length: 6 }, () => uniqueChild('K'));
    const scan = (p: string, qr: string) => api('POST', `/api/parents/${p}/children`, { as: 'admin', body: { qr } });
    for (const k of kids.slice(0, 4)) expect((await scan(a, k)).body.result).toBe('linked');
    for (const k of kids.slice(4)) expect((await scan(b, k)).body.result).toBe('linked');
    expect((await scan(a, kids[0]!)).body.result).toBe('duplicate');
    expect((await scan(b, kids[1]!)).status).toBe(409); // sits in a: rejected
    expect((await api('POST', `/api/parents/${a}/undo`, { as: 'admin' })).status).toBe(200);
    expect((await api('DELETE', `/api/parents/${a}/children/${kids[0]}`, { as: 'admin' })).status).toBe(200);
    expect((await scan(b, kids[0]!)).body.result).toBe('linked');
    // Everything flushed: a keeps 2 children, b has 3; 9 scans.
    await waitFor(() => rows<{ n: string }>(sql`SELECT count(*) AS n FROM links WHERE parent_qr IN (${a}, ${b})`), (r) => Number(r[0]!.n) === 5);
    await waitFor(() => rows<{ n: string }>(sql`SELECT count(*) AS n FROM scans WHERE parent_qr IN (${a}, ${b})`), (r) => Number(r[0]!.n) === 9);
    expect(await waitFor(mine, (m) => m.length === 0)).toEqual([]);
    const counters = await rows<{ name: string; value: string }>(sql`SELECT name, sum(value) AS value FROM counters WHERE scope = ${scope} AND period = 'total' GROUP BY name ORDER BY name`);
    expect(Object.fromEntries(counters.map((c) => [c.name, Number(c.value)]))).toEqual({
      parents: 2, children: 6, links: 5, scans: 9, scans_linked: 7, scans_duplicate: 1, scans_rejected: 1,
    });
    // And the check can fail: a counter off by one is reported.
    await rows(sql`UPDATE counters SET value = value + 1 WHERE name = 'links' AND scope = ${scope} AND period = 'total'
      AND slot = (SELECT min(slot) FROM counters WHERE name = 'links' AND scope = ${scope} AND period = 'total')`);
    expect(await mine()).toEqual([{ name: 'links', scope, period: 'total', value: 6, recounted: 5 }]);
  });
});

describe('reports', () => {
  it('daily: scans per area and per user for a local day; supervisors their own area', async () => {
    const [lucknow, indore, disp, disp2] = [await areaId('Lucknow'), await areaId('Indore'), await userId('dispatcher'), await userId('dispatcher2')];
    const t = tag('DR');
    // 2024-01-15 in Asia/Kolkata is 2024-01-14T18:30Z .. 2024-01-15T18:30Z.
    await insertScans([
      { scanId: `${t}-1`, parentQr: `${t}P`, childQr: `${t}A`, userId: disp, areaId: lucknow, result: 'linked', at: '2024-01-14T18:30:00Z' },
      { scanId: `${t}-2`, parentQr: `${t}P`, childQr: `${t}A`, userId: disp, areaId: lucknow, result: 'duplicate', at: '2024-01-15T10:00:00Z' },
      { scanId: `${t}-3`, parentQr: `${t}Q`, childQr: `${t}B`, userId: disp2, areaId: indore, result: 'rejected', errorCode: 'PARENT_FULL', at: '2024-01-15T18:29:59Z' },
      { scanId: `${t}-4`, parentQr: `${t}Q`, childQr: `${t}C`, userId: disp2, areaId: indore, result: 'linked', at: '2024-01-15T18:30:00Z' }, // next day
      { scanId: `${t}-5`, parentQr: `${t}Q`, childQr: `${t}D`, userId: disp2, areaId: indore, result: 'linked', at: '2024-01-14T18:29:59Z' }, // day before
    ]);
    const res = await api('GET', '/api/reports/daily?date=2024-01-15', { as: 'biller' });
    expect(res.status).toBe(200);
    expect(res.body.total).toEqual({ scans: 3, linked: 1, duplicate: 1, rejected: 1 });
    expect(res.body.byArea).toEqual([
      { areaId: lucknow, name: 'Lucknow', scans: 2, linked: 1, duplicate: 1, rejected: 0 },
      { areaId: indore, name: 'Indore', scans: 1, linked: 0, duplicate: 0, rejected: 1 },
    ]);
    expect(res.body.byUser).toEqual([
      { userId: disp, username: 'dispatcher', areaId: lucknow, scans: 2, linked: 1, duplicate: 1, rejected: 0 },
      { userId: disp2, username: 'dispatcher2', areaId: indore, scans: 1, linked: 0, duplicate: 0, rejected: 1 },
    ]);
    const sup = await api('GET', '/api/reports/daily?date=2024-01-15', { as: 'supervisor' });
    expect(sup.body.byArea.map((a: { areaId: number }) => a.areaId)).toEqual([lucknow]);
    expect((await api('GET', `/api/reports/daily?date=2024-01-15&areaId=${indore}`, { as: 'supervisor' })).status).toBe(403);
    expect((await api('GET', '/api/reports/daily', { as: 'dispatcher' })).status).toBe(403);
    expect((await api('GET', '/api/reports/daily?date=2024-13-45', { as: 'admin' })).status).toBe(400);
  });

  it('end of day per area and per biller, and the bill summary by range and biller', async () => {
    const [lucknow, biller] = [await areaId('Lucknow'), await userId('biller')];
    const t = tag('EOD');
    const day = '2023-03-01'; // 2023-02-28T18:30Z .. 2023-03-01T18:30Z
    await insertBags([
      { qr: `${t}P1`, type: 'parent', areaId: lucknow, status: 'completed', childCount: 30, createdAt: '2023-03-01T04:00:00Z', completedAt: '2023-03-01T05:00:00Z' },
      { qr: `${t}P2`, type: 'parent', areaId: lucknow, status: 'completed', childCount: 28, createdAt: '2023-02-20T04:00:00Z', completedAt: '2023-03-01T06:00:00Z' },
      { qr: `${t}P3`, type: 'parent', areaId: lucknow, status: 'open', childCount: 3, createdAt: '2023-03-01T07:00:00Z' },
    ]);
    await insertBill({
      billNo: `${t}-B1`, capacity: 2, status: 'completed', finalized: true, createdBy: biller, createdAt: '2023-03-01T08:00:00Z', finalizedAt: '2023-03-01T09:00:00Z',
      parents: [{ qr: `${t}P1`, addedAt: '2023-03-01T08:10:00Z', addedBy: biller }, { qr: `${t}P2`, addedAt: '2023-03-01T08:20:00Z', addedBy: biller }],
    });
    const eod = await api('GET', `/api/reports/eod?date=${day}`, { as: 'biller' });
    expect(eod.status).toBe(200);
    expect(eod.body.byArea.find((a: { areaId: number }) => a.areaId === lucknow)).toMatchObject({ parentsCreated: 2, parentsCompleted: 2, childrenInCompletedParents: 58 });
    expect(eod.body.byBiller).toEqual([
      { billerId: biller, username: 'biller', billsCreated: 1, billsFinalized: 1, parentsAdded: 2, childrenAdded: 58, expectedWeightKg: 58 },
    ]);
    const bills = await api('GET', `/api/reports/bills?from=2023-02-01&to=${day}&billerId=${biller}`, { as: 'admin' });
    expect(bills.status).toBe(200);
    // Not weighed yet: no actual weight and no variance, only the expected 1 kg per child bag.
    expect(bills.body.totals).toEqual({ bills: 1, finalized: 1, completed: 1, parents: 2, children: 58, weighedBills: 0, actualWeightKg: null, expectedWeightKg: 58, varianceKg: null });
    // A second bill, weighed: the actual weight and the variance cover the weighed bill only.
    await insertBill({ billNo: `${t}-B2`, capacity: 1, status: 'completed', createdBy: biller, createdAt: '2023-03-01T10:00:00Z', parents: [{ qr: `${t}P3`, addedAt: '2023-03-01T10:05:00Z', addedBy: biller }] });
    await rows(sql`UPDATE bills SET actual_weight_kg = 3.5, weight_source = 'weighbridge' WHERE bill_no = ${`${t}-B2`}`);
    const weighed = await api('GET', `/api/reports/bills?from=2023-02-01&to=${day}&billerId=${biller}`, { as: 'admin' });
    expect(weighed.body.totals).toEqual({ bills: 2, finalized: 1, completed: 2, parents: 3, children: 61, weighedBills: 1, actualWeightKg: 3.5, expectedWeightKg: 61, varianceKg: 0.5 });
    expect(weighed.body.byBiller[0]).toMatchObject({ weighedBills: 1, actualWeightKg: 3.5, varianceKg: 0.5 });
    expect((await api('GET', '/api/reports/bills?from=2023-03-02&to=2023-03-01', { as: 'admin' })).status).toBe(400);
    for (const who of ['dispatcher', 'supervisor']) {
      expect((await api('GET', '/api/reports/eod', { as: who })).status).toBe(403);
      expect((await api('GET', '/api/reports/bills', { as: who })).status).toBe(403);
    }
  });

  it('end of day has the day\'s returns per receiving area: tickets opened, finalized, cancelled, parents returned', async () => {
    const [lucknow, indore, biller] = [await areaId('Lucknow'), await areaId('Indore'), await userId('biller')];
    const t = tag('EODR');
    const day = '2023-04-05'; // 2023-04-04T18:30Z .. 2023-04-05T18:30Z
    await insertBags([1, 2, 3].map((i) => ({ qr: `${t}P${i}`, type: 'parent' as const, areaId: lucknow, status: 'completed', childCount: i + 2, createdAt: '2023-04-01T04:00:00Z' })));
    const ticket = async (code: string, areaId: number, status: string, createdAt: string, closedAt: string | null, parents: Array<[string, number, string]>) => {
      const [row] = await rows<{ id: number }>(sql`INSERT INTO return_tickets (code, area_id, status, parent_count, child_count, created_by, created_at, closed_at, closed_by)
        VALUES (${code}, ${areaId}, ${status}, ${parents.length}, ${parents.reduce((n, p) => n + p[1], 0)}, ${biller}, ${createdAt}, ${closedAt}, ${closedAt ? biller : null}) RETURNING id`);
      for (const [qr, children, at] of parents) {
        await rows(sql`INSERT INTO return_ticket_parents (ticket_id, bag_qr, bill_no, child_count, returned_at, returned_by, event_id)
          VALUES (${row!.id}, ${qr}, 'SOME-BILL', ${children}, ${at}, ${biller}, ${`${code} ${qr}`})`);
      }
    };
    // Opened and finalized that day, two parents that day (one just before local midnight ends the day).
    await ticket(`RTN-${t}A`, lucknow, 'finalized', '2023-04-05T03:00:00Z', '2023-04-05T12:00:00Z', [[`${t}P1`, 3, '2023-04-05T04:00:00Z'], [`${t}P2`, 4, '2023-04-05T18:29:00Z']]);
    // Opened the day before with its parent then, cancelled that day.
    await ticket(`RTN-${t}B`, indore, 'cancelled', '2023-04-04T10:00:00Z', '2023-04-05T02:00:00Z', [[`${t}P3`, 5, '2023-04-04T11:00:00Z']]);
    // Opened the next local day (19:00 UTC is 00:30 in Kolkata): not in this day.
    await ticket(`RTN-${t}C`, lucknow, 'open', '2023-04-05T19:00:00Z', null, []);
    const eod = await api('GET', `/api/reports/eod?date=${day}`, { as: 'biller' });
    expect(eod.status).toBe(200);
    expect(eod.body.returns).toEqual({
      totals: { ticketsCreated: 1, ticketsFinalized: 1, ticketsCancelled: 1, parentsReturned: 2, childrenReturned: 7, weightKg: 7 },
      byArea: [
        { areaId: lucknow, name: 'Lucknow', ticketsCreated: 1, ticketsFinalized: 1, ticketsCancelled: 0, parentsReturned: 2, childrenReturned: 7, weightKg: 7 },
        { areaId: indore, name: 'Indore', ticketsCreated: 0, ticketsFinalized: 0, ticketsCancelled: 1, parentsReturned: 0, childrenReturned: 0, weightKg: 0 },
      ].sort((a, b) => a.areaId - b.areaId),
    });
    const quiet = await api('GET', '/api/reports/eod?date=2023-04-07', { as: 'admin' });
    expect(quiet.body.returns).toEqual({ totals: { ticketsCreated: 0, ticketsFinalized: 0, ticketsCancelled: 0, parentsReturned: 0, childrenReturned: 0, weightKg: 0 }, byArea: [] });
  });
});
