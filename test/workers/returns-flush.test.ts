// Return tickets in Postgres (issue 13): what each ticket's flush writes, idempotency, Postgres outages, and
// tickets and bills re-derived from Postgres with their returns.
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { count, rows, setDatabase, sql, waitFor } from './db';
import { api, uniqueChild, uniqueParent } from './helpers';

let n = 0;
const uniqueBillNo = () => `RF-${Date.now().toString(36).toUpperCase()}-${++n}-${crypto.randomUUID().slice(0, 4).toUpperCase()}`;

async function openParent(children = 0): Promise<string> {
  const qr = uniqueParent();
  expect((await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' })).status).toBe(200);
  for (let i = 0; i < children; i++) {
    expect((await api('POST', `/api/parents/${qr}/children`, { as: 'dispatcher', body: { qr: uniqueChild() } })).body.result).toBe('linked');
  }
  return qr;
}

async function billed(children: number): Promise<{ qr: string; billNo: string }> {
  const billNo = uniqueBillNo();
  expect((await api('POST', '/api/bills', { as: 'biller', body: { billNo, destination: 'Delhi', vehicleNo: 'UP32', capacity: 5 } })).status).toBe(201);
  const qr = await openParent(children);
  expect((await api('POST', `/api/bills/${billNo}/parents`, { as: 'biller', body: { qr } })).body.result).toBe('added');
  return { qr, billNo };
}

async function areaId(): Promise<number> {
  const [area] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = 'Indore'`);
  return area!.id;
}

async function createTicket(headers: Record<string, string> = {}): Promise<string> {
  const res = await api('POST', '/api/returns', { as: 'biller', body: { areaId: await areaId(), notes: 'dealer' }, headers });
  expect(res.status).toBe(201);
  return res.body.ticket.code;
}

const ticketRow = (code: string) =>
  rows<{ id: number; status: string; parent_count: number; child_count: number; notes: string; closed_at: string | null; area_id: number }>(
    sql`SELECT id, status, parent_count, child_count, notes, closed_at, area_id FROM return_tickets WHERE code = ${code}`,
  );
const linesOf = (code: string) =>
  rows<{ bag_qr: string; bill_no: string; child_count: number; bill_finalized: boolean; event_id: string }>(
    sql`SELECT p.bag_qr, p.bill_no, p.child_count, p.bill_finalized, p.event_id FROM return_ticket_parents p JOIN return_tickets t ON t.id = p.ticket_id
        WHERE t.code = ${code} ORDER BY p.returned_at`,
  );
const auditOf = (entityType: string, id: string) =>
  rows<{ action: string; actor_username: string; ip: string | null; request_id: string | null; event_id: string | null; after: Record<string, unknown> }>(
    sql`SELECT action, actor_username, ip, request_id, event_id, after FROM audit_log WHERE entity_type = ${entityType} AND entity_id = ${id} ORDER BY at, id`,
  );
const onBill = (qr: string) => count(sql`SELECT count(*) AS n FROM bill_bags WHERE bag_qr = ${qr}`);

afterEach(async () => {
  await setDatabase(true);
});

describe('return tickets in Postgres', () => {
  it('writes the ticket, its parents and audit rows, takes the bags off bill_bags, and a replay changes nothing', async () => {
    const a = await billed(3);
    const b = await billed(1);
    await waitFor(() => onBill(a.qr), (x) => x === 1);
    await waitFor(() => onBill(b.qr), (x) => x === 1);
    const code = await createTicket({ 'CF-Connecting-IP': '203.0.113.7' });
    const scanId = `flush-${crypto.randomUUID()}`;
    expect((await api('POST', `/api/returns/${code}/parents`, { as: 'biller', body: { qr: a.qr, scanId } })).body.result).toBe('returned');
    expect((await api('POST', `/api/returns/${code}/parents`, { as: 'biller', body: { qr: b.qr } })).body.result).toBe('returned');
    expect((await api('POST', `/api/returns/${code}/finalize`, { as: 'biller' })).status).toBe(200);

    const [ticket] = await waitFor(() => ticketRow(code), (r) => r[0]?.status === 'finalized');
    expect(ticket).toMatchObject({ parent_count: 2, child_count: 4, notes: 'dealer', area_id: await areaId() });
    expect(ticket!.closed_at).not.toBeNull();
    const lines = await linesOf(code);
    expect(lines.map((l) => [l.bag_qr, l.bill_no, l.child_count, l.bill_finalized])).toEqual([
      [a.qr, a.billNo, 3, false],
      [b.qr, b.billNo, 1, false],
    ]);
    // Scoped by the ticket: the client's scanId alone is never a global id.
    expect(lines[0]!.event_id).toBe(`${code} ${scanId}`);
    await waitFor(() => onBill(a.qr), (x) => x === 0);
    expect(await onBill(b.qr)).toBe(0);

    const audit = await waitFor(() => auditOf('return_ticket', code), (r) => r.length === 4);
    expect(audit.map((r) => r.action)).toEqual(['return.create', 'return.scan_parent', 'return.scan_parent', 'return.finalize']);
    expect(audit.every((r) => r.actor_username === 'biller' && r.event_id && r.request_id)).toBe(true);
    expect(audit[0]!.ip).toBe('203.0.113.7');
    expect(audit[1]!.after).toMatchObject({ parentQr: a.qr, billNo: a.billNo, childCount: 3 });
    const billAudit = await waitFor(() => auditOf('bill', a.billNo), (r) => r.some((x) => x.action === 'bill.parent_returned'));
    expect(billAudit.find((x) => x.action === 'bill.parent_returned')!.after).toMatchObject({ parentQr: a.qr, ticketCode: code, childCount: 3 });

    await runDurableObjectAlarm(env.RETURNS.get(env.RETURNS.idFromName(code)));
    await runDurableObjectAlarm(env.BILLS.get(env.BILLS.idFromName(a.billNo)));
    expect(await auditOf('return_ticket', code)).toHaveLength(4);
    expect(await linesOf(code)).toHaveLength(2);
    expect((await auditOf('bill', a.billNo)).filter((x) => x.action === 'bill.parent_returned')).toHaveLength(1);
  });

  it('keeps returning while Postgres is down and drains afterwards', async () => {
    const a = await billed(2);
    await waitFor(() => onBill(a.qr), (x) => x === 1);
    const code = await createTicket();
    await setDatabase(false);
    expect((await api('POST', `/api/returns/${code}/parents`, { as: 'biller', body: { qr: a.qr } })).body.result).toBe('returned');
    expect((await api('POST', `/api/returns/${code}/cancel`, { as: 'biller' })).body.ticket.status).toBe('cancelled');
    expect((await api('GET', `/api/returns/${code}`, { as: 'biller' })).body.ticket).toMatchObject({ status: 'cancelled', parentCount: 1 });
    await setDatabase(true);
    await waitFor(() => ticketRow(code), (r) => r[0]?.status === 'cancelled', 30_000);
    expect((await linesOf(code)).map((l) => l.bag_qr)).toEqual([a.qr]);
    await waitFor(() => onBill(a.qr), (x) => x === 0, 30_000);
  });

  it('re-derives a ticket and a bill known only to Postgres, with their returns', async () => {
    const parent = await openParent(2);
    await waitFor(() => count(sql`SELECT count(*) AS n FROM bags WHERE qr = ${parent}`), (x) => x === 1);
    const [biller] = await rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'biller'`);
    const billNo = uniqueBillNo();
    await rows(sql`INSERT INTO bills (bill_no, destination, vehicle_no, capacity, status, finalized, created_by)
      VALUES (${billNo}, 'Imported', 'IMP', 5, 'empty', true, ${biller!.id})`);
    const code = `RTN-20260101-${crypto.randomUUID().slice(0, 4).toUpperCase().replace(/[^0-9A-F]/g, '0')}`;
    const [ticket] = await rows<{ id: number }>(sql`INSERT INTO return_tickets (code, area_id, notes, status, parent_count, child_count, created_by, created_at)
      VALUES (${code}, ${await areaId()}, 'imported', 'open', 1, 2, ${biller!.id}, now()) RETURNING id`);
    await rows(sql`INSERT INTO return_ticket_parents (ticket_id, bag_qr, bill_no, bill_finalized, child_count, returned_at, returned_by, event_id)
      VALUES (${ticket!.id}, ${parent}, ${billNo}, true, 2, now(), ${biller!.id}, ${'imp-' + code})`);

    const got = (await api('GET', `/api/returns/${code}`, { as: 'biller' })).body.ticket;
    expect(got).toMatchObject({ code, notes: 'imported', status: 'open', parentCount: 1, childCount: 2, createdBy: 'biller' });
    expect(got.parents[0]).toMatchObject({ qr: parent, billNo, billFinalized: true, childCount: 2, by: 'biller' });
    const bill = (await api('GET', `/api/bills/${billNo}`, { as: 'biller' })).body.bill;
    expect(bill.returned).toEqual([expect.objectContaining({ qr: parent, ticketCode: code, childCount: 2, by: 'biller' })]);
    // The code is taken: a new ticket never gets it (the object refuses, the Worker picks another).
    const stub = env.RETURNS.get(env.RETURNS.idFromName(code));
    const again = await stub.create({ code, areaId: await areaId(), notes: null }, {
      user: { id: biller!.id, username: 'biller', role: 'biller', areaId: null },
      audit: { actorId: biller!.id, actorUsername: 'biller', ip: null, userAgent: null, requestId: null },
    });
    expect(again.ok).toBe(false);
  });
});

describe('the return list', () => {
  it('lists tickets newest first with filters, to billers, admins and supervisors', async () => {
    const a = await billed(1);
    const code = await createTicket();
    await api('POST', `/api/returns/${code}/parents`, { as: 'biller', body: { qr: a.qr } });
    await waitFor(() => ticketRow(code), (r) => r[0]?.parent_count === 1);
    const list = await api('GET', `/api/returns?status=open&q=${a.qr.toLowerCase()}`, { as: 'supervisor' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { code: string }) => t.code)).toEqual([code]);
    expect(list.body.items[0]).toMatchObject({ status: 'open', parentCount: 1, childCount: 1, weightKg: 1, createdBy: 'biller' });
    expect((await api('GET', `/api/returns?areaId=${await areaId()}&limit=1`, { as: 'admin' })).body.items).toHaveLength(1);
    expect((await api('GET', '/api/returns?status=closed', { as: 'biller' })).status).toBe(400);
    expect((await api('GET', '/api/returns', { as: 'dispatcher' })).status).toBe(403);
  });
});

describe('returns on the read side: lookup history, reports, exports', () => {
  it('shows the return in the history of the parent and of its children, in the returns report and CSV', async () => {
    const billNo = uniqueBillNo();
    expect((await api('POST', '/api/bills', { as: 'biller', body: { billNo, destination: 'Delhi', vehicleNo: 'UP32', capacity: 5 } })).status).toBe(201);
    const qr = uniqueParent();
    expect((await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' })).status).toBe(200);
    const child = uniqueChild();
    expect((await api('POST', `/api/parents/${qr}/children`, { as: 'dispatcher', body: { qr: child } })).body.result).toBe('linked');
    expect((await api('POST', `/api/bills/${billNo}/parents`, { as: 'biller', body: { qr } })).body.result).toBe('added');
    await waitFor(() => onBill(qr), (x) => x === 1);
    const code = await createTicket();
    expect((await api('POST', `/api/returns/${code}/parents`, { as: 'biller', body: { qr } })).body.result).toBe('returned');
    await waitFor(() => linesOf(code), (r) => r.length === 1);

    for (const bag of [qr, child]) {
      const lookup = await api('GET', `/api/bags/${bag}`, { as: 'biller' });
      expect(lookup.status).toBe(200);
      expect(lookup.body.history).toContainEqual(expect.objectContaining({ kind: 'return', parentQr: qr, billNo, ticketCode: code, by: 'biller' }));
    }
    // Off the bill in Postgres too: the lookup names no bill any more.
    expect((await api('GET', `/api/bags/${qr}`, { as: 'biller' })).body.bill).toBeUndefined();

    const report = await api('GET', '/api/reports/returns', { as: 'biller' });
    expect(report.status).toBe(200);
    const indore = report.body.byArea.find((a: { name: string }) => a.name === 'Indore');
    expect(indore).toMatchObject({ areaId: await areaId() });
    expect(indore.tickets).toBeGreaterThanOrEqual(1);
    expect(indore.parents).toBeGreaterThanOrEqual(1);
    expect(report.body.totals.weightKg).toBe(report.body.totals.children);
    expect((await api('GET', '/api/reports/returns?from=2026-02-01&to=2026-01-01', { as: 'biller' })).status).toBe(400);
    expect((await api('GET', '/api/reports/returns', { as: 'supervisor' })).status).toBe(403);

    const csv = await api('GET', `/api/export/returns.csv?code=${code.toLowerCase()}`, { as: 'biller' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = String(csv.body).trim().split(/\r?\n/);
    expect(lines[0]).toContain('ticket,ticket_status,receiving_area_id,receiving_area,notes,parent_qr,bill_no');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${code},open,`);
    expect(lines[1]).toContain(`,${qr},${billNo},no,1,1,`);
    expect((await api('GET', '/api/export/returns.csv?status=closed', { as: 'biller' })).status).toBe(400);
  });
});
