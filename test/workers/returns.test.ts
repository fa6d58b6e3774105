// Return tickets (issue 13): routes, the ReturnTicket object, rejections, idempotency and the bills the
// returned parents come off. Postgres side: returns-flush.test.ts.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ReturnTicket } from '../../src/durable/returns/return-ticket';
import { api, uniqueChild, uniqueParent } from './helpers';

let billCounter = 0;
const uniqueBillNo = () => `R-${Date.now().toString(36).toUpperCase()}-${++billCounter}-${crypto.randomUUID().slice(0, 4).toUpperCase()}`;

async function openParent(children = 0): Promise<string> {
  const qr = uniqueParent();
  expect((await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' })).status).toBe(200);
  for (let i = 0; i < children; i++) {
    expect((await api('POST', `/api/parents/${qr}/children`, { as: 'dispatcher', body: { qr: uniqueChild() } })).body.result).toBe('linked');
  }
  return qr;
}

async function createBill(capacity = 5): Promise<string> {
  const billNo = uniqueBillNo();
  expect((await api('POST', '/api/bills', { as: 'biller', body: { billNo, destination: 'Delhi', vehicleNo: 'UP32', capacity } })).status).toBe(201);
  return billNo;
}

const addToBill = (billNo: string, qr: string) => api('POST', `/api/bills/${billNo}/parents`, { as: 'biller', body: { qr } });

async function billedParent(children = 2, billNo?: string): Promise<{ qr: string; billNo: string }> {
  const bill = billNo ?? (await createBill());
  const qr = await openParent(children);
  expect((await addToBill(bill, qr)).body.result).toBe('added');
  return { qr, billNo: bill };
}

let areaId: number | null = null;
async function lucknow(): Promise<number> {
  if (areaId === null) {
    const areas = (await api('GET', '/api/areas', { as: 'biller' })).body.items as Array<{ id: number; name: string }>;
    areaId = areas.find((a) => a.name === 'Lucknow')!.id;
  }
  return areaId;
}

async function createTicket(as = 'biller', notes?: string): Promise<string> {
  const res = await api('POST', '/api/returns', { as, body: { areaId: await lucknow(), ...(notes === undefined ? {} : { notes }) } });
  expect(res.status).toBe(201);
  return res.body.ticket.code as string;
}

const scan = (code: string, qr: string, opts: { as?: string; scanId?: string } = {}) =>
  api('POST', `/api/returns/${code}/parents`, { as: opts.as ?? 'biller', body: opts.scanId ? { qr, scanId: opts.scanId } : { qr } });
const getTicket = (code: string, as = 'biller') => api('GET', `/api/returns/${code}`, { as });
const getBill = (billNo: string) => api('GET', `/api/bills/${billNo}`, { as: 'biller' });

describe('creating and reading return tickets', () => {
  it('makes the code on the server (RTN-<local date>-XXXX), keeps area and notes, and reads it back in any case', async () => {
    const res = await api('POST', '/api/returns', { as: 'admin', body: { areaId: await lucknow(), notes: '  dealer Sharma, 3 bags  ' } });
    expect(res.status).toBe(201);
    const ticket = res.body.ticket;
    expect(ticket.code).toMatch(/^RTN-\d{8}-[0-9A-F]{4}$/);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date()).replaceAll('-', '');
    expect(ticket.code.slice(4, 12)).toBe(today);
    expect(ticket).toMatchObject({ areaId: await lucknow(), notes: 'dealer Sharma, 3 bags', status: 'open', parentCount: 0, childCount: 0, weightKg: 0, parents: [], createdBy: 'admin' });
    expect((await getTicket(ticket.code.toLowerCase(), 'supervisor')).body.ticket.code).toBe(ticket.code);
  });

  it('validates the body, the code and the area, and keeps tickets to billers and admins', async () => {
    for (const body of [{}, { areaId: 'x' }, { areaId: 0 }, { areaId: await lucknow(), notes: 'x'.repeat(501) }, { areaId: await lucknow(), extra: 1 }]) {
      const res = await api('POST', '/api/returns', { as: 'biller', body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    const noArea = await api('POST', '/api/returns', { as: 'biller', body: { areaId: 2_000_000 } });
    expect(noArea.status).toBe(400);
    expect(noArea.body.error.message).toContain('no dispatch area');
    for (const as of ['dispatcher', 'supervisor']) expect((await api('POST', '/api/returns', { as, body: { areaId: await lucknow() } })).status).toBe(403);
    expect((await getTicket('RTN-1')).body.error.code).toBe('INVALID_INPUT');
    const missing = await getTicket('RTN-20200101-0000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect((await getTicket(await createTicket(), 'dispatcher')).status).toBe(403);
  });
});

describe('scanning returned parents', () => {
  it('takes the parent off its bill (which keeps a returned line), frees it for a new bill, and totals the ticket', async () => {
    const billNo = await createBill(2);
    const a = await billedParent(3, billNo);
    const b = await billedParent(2, billNo);
    expect((await getBill(billNo)).body.bill.status).toBe('completed');
    const code = await createTicket();
    const res = await scan(code, ` ${a.qr.toLowerCase()} `);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'returned', parentQr: a.qr, billNo, parentChildCount: 3, parentCount: 1, childCount: 3, weightKg: 3 });

    const bill = (await getBill(billNo)).body.bill;
    expect(bill.parents.map((p: { qr: string }) => p.qr)).toEqual([b.qr]);
    expect(bill).toMatchObject({ parentCount: 1, childCount: 2, status: 'in_progress' });
    expect(bill.returned).toEqual([{ qr: a.qr, ticketCode: code, childCount: 3, returnedAt: expect.any(String), by: 'biller' }]);
    expect((await api('GET', `/api/parents/${a.qr}`, { as: 'dispatcher' })).body.parent).toMatchObject({ billNo: null, billFinalized: false, returnedOn: code });

    expect((await scan(code, b.qr)).body).toMatchObject({ result: 'returned', parentCount: 2, childCount: 5, weightKg: 5 });
    const ticket = (await getTicket(code)).body.ticket;
    expect(ticket).toMatchObject({ parentCount: 2, childCount: 5, weightKg: 5, status: 'open' });
    expect(ticket.parents.map((p: { qr: string; billNo: string; childCount: number }) => [p.qr, p.billNo, p.childCount])).toEqual([
      [a.qr, billNo, 3],
      [b.qr, billNo, 2],
    ]);

    // Free for a new bill at once; then it can be returned again on a new ticket.
    const next = await createBill();
    expect((await addToBill(next, a.qr)).body.result).toBe('added');
    expect((await api('GET', `/api/parents/${a.qr}`, { as: 'dispatcher' })).body.parent.returnedOn).toBeUndefined();
    const later = await createTicket();
    expect((await scan(later, a.qr)).body.result).toBe('returned');
  });

  it('returns parents of finalized bills too: the bill stays finalized and keeps the line, the parent thaws', async () => {
    const { qr, billNo } = await billedParent(2);
    expect((await api('POST', `/api/bills/${billNo}/finalize`, { as: 'biller' })).status).toBe(200);
    const code = await createTicket();
    expect((await scan(code, qr)).body).toMatchObject({ result: 'returned', billNo });
    expect((await getTicket(code)).body.ticket.parents[0]).toMatchObject({ qr, billFinalized: true });
    const bill = (await getBill(billNo)).body.bill;
    expect(bill).toMatchObject({ finalized: true, parentCount: 0, returned: [expect.objectContaining({ qr, ticketCode: code, childCount: 2 })] });
    expect((await api('GET', `/api/parents/${qr}`, { as: 'dispatcher' })).body.parent).toMatchObject({ billNo: null, billFinalized: false });
    expect((await addToBill(await createBill(), qr)).body.result).toBe('added');
  });

  it('says why a parent is refused: unknown, not on a bill, already returned, on another open ticket, bad QR', async () => {
    const code = await createTicket();
    const unknown = await scan(code, uniqueParent());
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('PARENT_NOT_FOUND');

    const loose = await openParent(1);
    const notBilled = await scan(code, loose);
    expect(notBilled.status).toBe(409);
    expect(notBilled.body.error).toMatchObject({ code: 'PARENT_NOT_ON_BILL', parentQr: loose });

    const { qr, billNo } = await billedParent(1);
    expect((await scan(code, qr)).body.result).toBe('returned');
    const other = await createTicket('admin');
    const onOther = await scan(other, qr, { as: 'admin' });
    expect(onOther.status).toBe(409);
    expect(onOther.body.error).toMatchObject({ code: 'PARENT_ON_OTHER_TICKET', ticketCode: code, parentQr: qr, billNo });

    expect((await api('POST', `/api/returns/${code}/finalize`, { as: 'biller' })).status).toBe(200);
    const already = await scan(other, qr, { as: 'admin' });
    expect(already.status).toBe(409);
    expect(already.body.error).toMatchObject({ code: 'PARENT_ALREADY_RETURNED', ticketCode: code });
    expect(already.body.error.message).toContain(code);

    expect((await scan(other, uniqueChild())).body.error.code).toBe('INVALID_QR');
    expect((await scan(other, 'SB1')).body.error.code).toBe('INVALID_QR');
    expect((await api('POST', `/api/returns/${other}/parents`, { as: 'biller', body: { qr: 5 } })).status).toBe(400);
    expect((await scan(other, qr, { as: 'supervisor' })).status).toBe(403);
    expect((await scan('RTN-20200101-0000', qr)).status).toBe(404);
  });

  it('is idempotent per scanId, and a repeat of a parent on the ticket is a duplicate', async () => {
    const { qr, billNo } = await billedParent(2);
    const code = await createTicket();
    const scanId = `rtn-${crypto.randomUUID()}`;
    const first = await scan(code, qr, { scanId });
    expect(first.body.result).toBe('returned');
    expect(await scan(code, qr, { scanId })).toMatchObject({ status: 200, body: first.body });
    expect((await scan(code, qr)).body).toMatchObject({ result: 'duplicate', parentCount: 1 });
    expect((await getBill(billNo)).body.bill.returned).toHaveLength(1);
    // A remembered rejection answers the same after the state changed.
    const loose = await openParent(1);
    const rejectId = `rtn-${crypto.randomUUID()}`;
    expect((await scan(code, loose, { scanId: rejectId })).body.error.code).toBe('PARENT_NOT_ON_BILL');
    expect((await addToBill(await createBill(), loose)).body.result).toBe('added');
    expect((await scan(code, loose, { scanId: rejectId })).body.error.code).toBe('PARENT_NOT_ON_BILL');
  });

  it('two tickets scanning one parent at once: exactly one takes it, the other says it is on that ticket', async () => {
    for (let round = 0; round < 4; round++) {
      const { qr } = await billedParent(1);
      const [t1, t2] = [await createTicket(), await createTicket('admin')];
      const answers = await Promise.all([scan(t1, qr), scan(t2, qr, { as: 'admin' })]);
      expect(answers.filter((a) => a.status === 200 && a.body.result === 'returned')).toHaveLength(1);
      const loser = answers.find((a) => a.status !== 200)!;
      expect(loser.body.error.code).toBe('PARENT_ON_OTHER_TICKET');
    }
  });
});

describe('finalizing and cancelling', () => {
  it('finalizes a ticket with parents (idempotent), refuses an empty one and any scan after', async () => {
    const empty = await createTicket();
    const refused = await api('POST', `/api/returns/${empty}/finalize`, { as: 'biller' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONFLICT');

    const { qr } = await billedParent(1);
    const code = await createTicket();
    await scan(code, qr);
    const done = await api('POST', `/api/returns/${code}/finalize`, { as: 'admin' });
    expect(done.body.ticket).toMatchObject({ status: 'finalized', finalizedBy: 'admin', cancelledAt: null, parentCount: 1 });
    expect(done.body.ticket.finalizedAt).toEqual(expect.any(String));
    expect((await api('POST', `/api/returns/${code}/finalize`, { as: 'biller' })).body.ticket.status).toBe('finalized');
    const cancel = await api('POST', `/api/returns/${code}/cancel`, { as: 'biller' });
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe('RETURN_CLOSED');
    const { qr: another } = await billedParent(1);
    const closed = await scan(code, another);
    expect(closed.status).toBe(409);
    expect(closed.body.error).toMatchObject({ code: 'RETURN_CLOSED', status: 'finalized' });
    // The refused parent stays on its bill.
    expect((await api('GET', `/api/parents/${another}`, { as: 'dispatcher' })).body.parent.billNo).not.toBeNull();
    // A repeat of a parent already on the closed ticket is still a harmless duplicate.
    expect((await scan(code, qr)).body.result).toBe('duplicate');
    expect((await api('POST', `/api/returns/${code}/finalize`, { as: 'supervisor' })).status).toBe(403);
  });

  it('cancelling leaves returned parents off their bills', async () => {
    const { qr, billNo } = await billedParent(2);
    const code = await createTicket();
    await scan(code, qr);
    const cancelled = await api('POST', `/api/returns/${code}/cancel`, { as: 'biller' });
    expect(cancelled.body.ticket).toMatchObject({ status: 'cancelled', cancelledBy: 'biller', finalizedAt: null, parentCount: 1 });
    const bill = (await getBill(billNo)).body.bill;
    expect(bill.parentCount).toBe(0);
    expect(bill.returned.map((r: { qr: string }) => r.qr)).toEqual([qr]);
    expect((await api('GET', `/api/parents/${qr}`, { as: 'dispatcher' })).body.parent.billNo).toBeNull();
    // Returned on a closed ticket: another ticket says so.
    expect((await scan(await createTicket(), qr)).body.error).toMatchObject({ code: 'PARENT_ALREADY_RETURNED', ticketCode: code });
  });
});

describe('partial failures', () => {
  it('a return whose answer the ticket never recorded is recorded from the parent on the next alarm', async () => {
    const { qr, billNo } = await billedParent(2);
    const code = await createTicket();
    // The parent took the return, but the ticket "died" before recording it: only the take in flight is stored.
    const parent = env.PARENTS.get(env.PARENTS.idFromName(qr));
    expect((await parent.returnToTicket(qr, code)).ok).toBe(true);
    const stub = env.RETURNS.get(env.RETURNS.idFromName(code));
    await runInDurableObject(stub, async (_instance: ReturnTicket, state) => {
      state.storage.sql.exec(
        'INSERT INTO takes_in_flight (qr, body) VALUES (?, ?)',
        qr,
        JSON.stringify({ qr, scanId: 'lost-scan-1', user: { id: 3, username: 'biller', role: 'biller', areaId: null }, audit: { actorId: 3, actorUsername: 'biller', ip: null, userAgent: null, requestId: null } }),
      );
    });
    await runDurableObjectAlarm(stub);
    const ticket = (await getTicket(code)).body.ticket;
    expect(ticket.parents.map((p: { qr: string }) => p.qr)).toEqual([qr]);
    // The bill learnt it too, and the client's retry of the lost scan gets the recorded answer.
    expect((await getBill(billNo)).body.bill.returned.map((r: { qr: string }) => r.qr)).toEqual([qr]);
    expect((await scan(code, qr, { scanId: 'lost-scan-1' })).body.result).toBe('returned');
  });

  it('a bill scan racing a return never lists a returned parent', async () => {
    const { qr, billNo } = await billedParent(1);
    const code = await createTicket();
    const other = await createBill();
    // The return and an add to another bill at once: the parent decides in turn; the bills agree with it.
    const [returned, added] = await Promise.all([scan(code, qr), addToBill(other, qr)]);
    expect(returned.body.result).toBe('returned');
    const parent = (await api('GET', `/api/parents/${qr}`, { as: 'dispatcher' })).body.parent;
    const first = (await getBill(billNo)).body.bill;
    const second = (await getBill(other)).body.bill;
    expect(first.parents.map((p: { qr: string }) => p.qr)).not.toContain(qr);
    if (added.body.result === 'added') {
      expect(parent.billNo).toBe(other);
      expect(second.parents.map((p: { qr: string }) => p.qr)).toContain(qr);
    } else {
      expect(added.body.error.code).toBe('PARENT_ON_OTHER_BILL');
      expect(parent.billNo).toBeNull();
    }
  });
});
