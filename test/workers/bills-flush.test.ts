import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { count, rows, setDatabase, sql, waitFor } from './db';
import { api, tokenFor, uniqueChild, uniqueParent } from './helpers';

let n = 0;
const uniqueBillNo = (prefix = 'F') => `${prefix}-${Date.now().toString(36).toUpperCase()}-${++n}-${crypto.randomUUID().slice(0, 4).toUpperCase()}`;

async function openParent(children = 0): Promise<string> {
  const qr = uniqueParent();
  expect((await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' })).status).toBe(200);
  for (let i = 0; i < children; i++) {
    expect((await api('POST', `/api/parents/${qr}/children`, { as: 'dispatcher', body: { qr: uniqueChild() } })).body.result).toBe('linked');
  }
  return qr;
}

async function createBill(billNo = uniqueBillNo(), capacity = 5, headers: Record<string, string> = {}) {
  const res = await api('POST', '/api/bills', { as: 'biller', body: { billNo, destination: 'Delhi', vehicleNo: 'UP32', capacity }, headers });
  expect(res.status).toBe(201);
  return billNo;
}

const add = (billNo: string, qr: string, as = 'biller') => api('POST', `/api/bills/${billNo}/parents`, { as, body: { qr } });
const billRow = (billNo: string) =>
  rows<{ id: number; status: string; finalized: boolean; finalized_at: string | null; capacity: number }>(
    sql`SELECT id, status, finalized, finalized_at, capacity FROM bills WHERE bill_no = ${billNo}`,
  );
const bagsOf = (billNo: string) =>
  rows<{ bag_qr: string }>(sql`SELECT bb.bag_qr FROM bill_bags bb JOIN bills b ON b.id = bb.bill_id WHERE b.bill_no = ${billNo} ORDER BY bb.bag_qr`);
const auditOf = (billNo: string) =>
  rows<{ action: string; actor_username: string; ip: string | null; user_agent: string | null; request_id: string | null; event_id: string | null; after: unknown }>(
    sql`SELECT action, actor_username, ip, user_agent, request_id, event_id, after FROM audit_log WHERE entity_type = 'bill' AND entity_id = ${billNo} ORDER BY at, id`,
  );
const parentBagLanded = (qr: string) => waitFor(() => count(sql`SELECT count(*) AS n FROM bags WHERE qr = ${qr}`), (x) => x === 1);

afterEach(async () => {
  await setDatabase(true);
});

describe('bills in Postgres', () => {
  it('writes the bill, its bags and an audit row for every change, with actor, IP, user agent and request id', async () => {
    const headers = { 'CF-Connecting-IP': '203.0.113.9', 'User-Agent': 'bill-test/1' };
    const billNo = await createBill(uniqueBillNo(), 3, headers);
    const [a, b] = [await openParent(2), await openParent(1)];
    expect((await api('POST', `/api/bills/${billNo}/parents`, { as: 'biller', body: { qr: a }, headers })).body.result).toBe('added');
    expect((await add(billNo, b)).body.result).toBe('added');
    expect((await api('DELETE', `/api/bills/${billNo}/parents/${b}`, { as: 'biller' })).status).toBe(200);
    expect((await api('POST', `/api/bills/${billNo}/finalize`, { as: 'biller' })).status).toBe(200);

    const [bill] = await waitFor(() => billRow(billNo), (r) => r[0]?.finalized === true);
    expect(bill).toMatchObject({ status: 'completed', capacity: 3 });
    expect(bill!.finalized_at).not.toBeNull();
    expect((await bagsOf(billNo)).map((r) => r.bag_qr)).toEqual([a]);
    const audit = await waitFor(() => auditOf(billNo), (r) => r.length === 5);
    expect(audit.map((r) => r.action)).toEqual(['bill.create', 'bill.add_parent', 'bill.add_parent', 'bill.remove_parent', 'bill.finalize']);
    expect(audit.every((r) => r.actor_username === 'biller' && r.event_id && r.request_id)).toBe(true);
    expect(audit[0]).toMatchObject({ ip: '203.0.113.9', user_agent: 'bill-test/1' });
    expect(audit[1]).toMatchObject({ ip: '203.0.113.9', after: expect.objectContaining({ parentQr: a }) });

    expect((await api('POST', `/api/bills/${billNo}/reopen`, { as: 'admin' })).status).toBe(200);
    await waitFor(() => billRow(billNo), (r) => r[0]?.finalized === false);
    const reopened = await waitFor(() => auditOf(billNo), (r) => r.length === 6);
    expect(reopened[5]).toMatchObject({ action: 'bill.reopen', actor_username: 'admin' });
    expect((await billRow(billNo))[0]).toMatchObject({ status: 'in_progress', finalized_at: null });

    // The measured weight is audited and lands in the bills row with who and how.
    expect((await api('PATCH', `/api/bills/${billNo}`, { as: 'biller', body: { actualWeightKg: 2.25, weightSource: 'weighbridge' } })).status).toBe(200);
    const weighedAudit = await waitFor(() => auditOf(billNo), (r) => r.length === 7);
    expect(weighedAudit[6]).toMatchObject({ action: 'bill.weigh', actor_username: 'biller', after: { actualWeightKg: 2.25, weightSource: 'weighbridge' } });
    const [weight] = await rows<{ actual_weight_kg: string; weight_source: string; weighed_by: number | null; weighed_at: string | null }>(
      sql`SELECT actual_weight_kg::text, weight_source, weighed_by, weighed_at FROM bills WHERE bill_no = ${billNo}`,
    );
    expect(weight).toMatchObject({ actual_weight_kg: '2.25', weight_source: 'weighbridge' });
    expect(weight!.weighed_by).not.toBeNull();
    expect(weight!.weighed_at).not.toBeNull();

    // Replaying the flush changes nothing.
    await runDurableObjectAlarm(env.BILLS.get(env.BILLS.idFromName(billNo)));
    expect(await auditOf(billNo)).toHaveLength(7);
    expect(await bagsOf(billNo)).toHaveLength(1);
  });

  it('follows a parent moving from one bill to another', async () => {
    const first = await createBill();
    const second = await createBill();
    const parent = await openParent(1);
    await add(first, parent);
    await api('DELETE', `/api/bills/${first}/parents/${parent}`, { as: 'biller' });
    expect((await add(second, parent)).body.result).toBe('added');
    await waitFor(() => bagsOf(second), (r) => r.length === 1);
    await waitFor(() => auditOf(first), (r) => r.length === 3);
    const holder = await rows<{ bill_no: string }>(sql`SELECT b.bill_no FROM bill_bags bb JOIN bills b ON b.id = bb.bill_id WHERE bb.bag_qr = ${parent}`);
    expect(holder).toEqual([{ bill_no: second }]);
  });

  it('keeps working while Postgres is down and drains afterwards, nothing lost or doubled', async () => {
    const billNo = await createBill();
    const parents = [await openParent(2), await openParent(3)];
    await tokenFor('admin');
    for (const p of parents) await parentBagLanded(p);
    await waitFor(() => billRow(billNo), (r) => r.length === 1);

    await setDatabase(false);
    for (const p of parents) expect((await add(billNo, p)).body.result).toBe('added');
    const fin = await api('POST', `/api/bills/${billNo}/finalize`, { as: 'biller' });
    expect(fin.status).toBe(200);
    expect(fin.body.bill).toMatchObject({ finalized: true, parentCount: 2, childCount: 5 });
    expect((await api('GET', `/api/bills/${billNo}`, { as: 'supervisor' })).body.bill.childCount).toBe(5);
    // A new bill number cannot be checked against Postgres while it is down: 503, nothing created.
    const blocked = await api('POST', '/api/bills', { as: 'biller', body: { billNo: uniqueBillNo(), destination: 'D', vehicleNo: 'V', capacity: 1 } });
    expect(blocked.status).toBe(503);
    expect(blocked.body.error.code).toBe('UNAVAILABLE');
    const stub = env.BILLS.get(env.BILLS.idFromName(billNo));
    await runDurableObjectAlarm(stub);
    const degraded = await waitFor(() => api('GET', '/health/detailed', { as: 'admin' }), (r) => r.body.flushBacklog >= 3);
    expect(degraded.body.status).toBe('degraded');
    expect(await bagsOf(billNo)).toHaveLength(0);

    await setDatabase(true);
    await waitFor(
      async () => {
        await runDurableObjectAlarm(stub);
        return billRow(billNo);
      },
      (r) => r[0]?.finalized === true,
      20_000,
    );
    expect((await bagsOf(billNo)).map((r) => r.bag_qr)).toEqual([...parents].sort());
    expect((await auditOf(billNo)).map((r) => r.action)).toEqual(['bill.create', 'bill.add_parent', 'bill.add_parent', 'bill.finalize']);
    await runDurableObjectAlarm(stub);
    expect(await auditOf(billNo)).toHaveLength(4);
  });

  it('loads a bill that only Postgres knows, and refuses its number to a new bill', async () => {
    const parent = await openParent(2);
    await parentBagLanded(parent);
    const billNo = uniqueBillNo('IMP');
    const [biller] = await rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'biller'`);
    const [inserted] = await rows<{ id: number }>(sql`INSERT INTO bills (bill_no, destination, vehicle_no, capacity, status, finalized, created_by)
      VALUES (${billNo}, 'Imported', 'IMP 1', 10, 'in_progress', false, ${biller!.id}) RETURNING id`);
    await rows(sql`INSERT INTO bill_bags (bag_qr, bill_id, added_at, added_by) VALUES (${parent}, ${inserted!.id}, now(), ${biller!.id})`);

    const dup = await api('POST', '/api/bills', { as: 'biller', body: { billNo, destination: 'X', vehicleNo: 'Y', capacity: 1 } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');
    const got = await api('GET', `/api/bills/${billNo}`, { as: 'biller' });
    expect(got.status).toBe(200);
    expect(got.body.bill).toMatchObject({ billNo, destination: 'Imported', parentCount: 1, createdBy: 'biller', status: 'in_progress' });
    expect(got.body.bill.parents.map((p: { qr: string }) => p.qr)).toEqual([parent]);
  });
});

describe('imported bills and parents (known only to Postgres)', () => {
  async function rebuildRegistry(): Promise<void> {
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { nextCursor: string | null } } = await api('POST', '/api/admin/registry/rebuild', {
        as: 'admin',
        body: { cursor, limit: 500 },
      });
      expect(res.status).toBe(200);
      cursor = res.body.nextCursor;
    } while (cursor);
  }

  it('re-derives the parent with its bill: it counts, freezes on finalize, and stays off other bills', async () => {
    const [area] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = 'Indore'`);
    const [biller] = await rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'biller'`);
    const parent = uniqueParent();
    const kids = [uniqueChild('I'), uniqueChild('I')];
    await rows(sql`INSERT INTO bags (qr, type, area_id, status, child_count, created_at, updated_at, version)
      VALUES (${parent}, 'parent', ${area!.id}, 'open', 2, now(), now(), 3)`);
    for (const kid of kids) {
      await rows(sql`INSERT INTO bags (qr, type, area_id, status, created_at, updated_at) VALUES (${kid}, 'child', ${area!.id}, 'linked', now(), now())`);
      await rows(sql`INSERT INTO links (child_qr, parent_qr, linked_at, event_id) VALUES (${kid}, ${parent}, now(), ${'imp-' + kid})`);
    }
    const billNo = uniqueBillNo('IMP');
    const [bill] = await rows<{ id: number }>(sql`INSERT INTO bills (bill_no, destination, vehicle_no, capacity, status, finalized, created_by, actual_weight_kg, weight_source, weighed_at, weighed_by)
      VALUES (${billNo}, 'Imported', 'IMP 2', 5, 'in_progress', false, ${biller!.id}, 2.4, 'weighbridge', now(), ${biller!.id}) RETURNING id`);
    await rows(sql`INSERT INTO bill_bags (bag_qr, bill_id, added_at, added_by) VALUES (${parent}, ${bill!.id}, now(), ${biller!.id})`);
    await rebuildRegistry();

    expect((await api('GET', `/api/bills/${billNo}`, { as: 'biller' })).body.bill).toMatchObject({
      parentCount: 1,
      childCount: 2,
      actualWeightKg: 2.4,
      weightSource: 'weighbridge',
      weighedBy: 'biller',
      varianceKg: 0.4,
    });
    expect((await api('GET', `/api/bills/${billNo}`, { as: 'biller' })).body.bill.parents[0]).toMatchObject({ qr: parent, status: 'open', areaId: area!.id });
    // Another bill cannot take it: the parent is re-derived from Postgres, bill included.
    const other = await createBill();
    const refused = await add(other, parent);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'PARENT_ON_OTHER_BILL', billNo });

    const fin = await api('POST', `/api/bills/${billNo}/finalize`, { as: 'biller' });
    expect(fin.body.bill).toMatchObject({ finalized: true, childCount: 2 });
    const scan = await api('POST', `/api/parents/${parent}/children`, { as: 'admin', body: { qr: uniqueChild('I') } });
    expect(scan.status).toBe(409);
    expect(scan.body.error.code).toBe('PARENT_ON_FINALIZED_BILL');
  });
});

describe('the bill list', () => {
  it('filters, searches and pages with a keyset cursor', async () => {
    const tag = `L${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
    const billNos = [];
    for (let i = 0; i < 5; i++) billNos.push(await createBill(`${tag}-${i}`, 1));
    const parent = await openParent(1);
    await add(billNos[4]!, parent);
    await api('POST', `/api/bills/${billNos[4]}/finalize`, { as: 'biller' });
    await waitFor(() => count(sql`SELECT count(*) AS n FROM bills WHERE bill_no LIKE ${tag + '%'} AND finalized`), (x) => x === 1);
    await waitFor(() => count(sql`SELECT count(*) AS n FROM bills WHERE bill_no LIKE ${tag + '%'}`), (x) => x === 5);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/bills?q=${tag.toLowerCase()}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api('GET', query, { as: 'supervisor' });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((b: { billNo: string }) => b.billNo));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...billNos].reverse()); // newest first, each once

    const done = await api('GET', `/api/bills?q=${tag}&status=completed`, { as: 'biller' });
    expect(done.body.items).toHaveLength(1);
    expect(done.body.items[0]).toMatchObject({ billNo: billNos[4], finalized: true, parentCount: 1, createdBy: 'biller' });
    expect((await api('GET', `/api/bills?q=${tag}&status=empty`, { as: 'biller' })).body.items).toHaveLength(4);
    expect((await api('GET', `/api/bills?q=${tag}&finalized=true`, { as: 'biller' })).body.items).toHaveLength(1);
    // LIKE wildcards typed by a user are literal.
    expect((await api('GET', `/api/bills?q=${tag}%25_`, { as: 'biller' })).body.items).toHaveLength(0);
  });

  it('rejects bad parameters and dispatchers', async () => {
    for (const q of ['limit=0', 'limit=201', 'status=open', 'cursor=not-a-cursor', 'finalized=maybe']) {
      const res = await api('GET', `/api/bills?${q}`, { as: 'biller' });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    expect((await api('GET', '/api/bills', { as: 'dispatcher' })).status).toBe(403);
  });
});
