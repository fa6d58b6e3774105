import { env, runInDurableObject } from 'cloudflare:test';
import type { BillSession } from '../../src/durable/bill/bill-session';
import { describe, expect, it } from 'vitest';
import { api, uniqueChild, uniqueParent } from './helpers';
import { TestSocket } from './ws-client';

let billCounter = 0;
export function uniqueBillNo(prefix = 'B'): string {
  billCounter++;
  return `${prefix}-${Date.now().toString(36).toUpperCase()}-${billCounter}-${crypto.randomUUID().slice(0, 4).toUpperCase()}`;
}

async function openParent(children = 0): Promise<string> {
  const qr = uniqueParent();
  expect((await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' })).status).toBe(200);
  for (let i = 0; i < children; i++) await scanChild(qr);
  return qr;
}

async function scanChild(parent: string, child = uniqueChild()) {
  return api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: child } });
}

async function createBill(capacity = 5, as = 'biller', billNo = uniqueBillNo()) {
  const res = await api('POST', '/api/bills', { as, body: { billNo, destination: 'Delhi', vehicleNo: 'UP32 AB 1234', capacity } });
  expect(res.status).toBe(201);
  return res.body.bill.billNo as string;
}

const addParent = (billNo: string, qr: string, opts: { as?: string; scanId?: string } = {}) =>
  api('POST', `/api/bills/${billNo}/parents`, { as: opts.as ?? 'biller', body: opts.scanId ? { qr, scanId: opts.scanId } : { qr } });

const getBill = (billNo: string, as = 'biller') => api('GET', `/api/bills/${billNo}`, { as });

describe('creating bills', () => {
  it('creates a bill once: 201 with the bill, 409 CONFLICT for the same number in any case', async () => {
    const billNo = uniqueBillNo('new');
    const res = await api('POST', '/api/bills', {
      as: 'biller',
      body: { billNo: ` ${billNo.toLowerCase()} `, destination: ' Jaipur ', vehicleNo: 'RJ14 1', description: 'rice', capacity: 3 },
    });
    expect(res.status).toBe(201);
    expect(res.body.bill).toMatchObject({
      billNo: billNo.toUpperCase(),
      destination: 'Jaipur',
      vehicleNo: 'RJ14 1',
      description: 'rice',
      capacity: 3,
      status: 'empty',
      finalized: false,
      parentCount: 0,
      childCount: 0,
      actualWeightKg: null,
      expectedWeightKg: 0,
      varianceKg: null,
      weightSource: null,
      parents: [],
      createdBy: 'biller',
    });
    const again = await api('POST', '/api/bills', { as: 'admin', body: { billNo, destination: 'X', vehicleNo: 'Y', capacity: 1 } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'CONFLICT', billNo: billNo.toUpperCase() });
  });

  it('decides concurrent creates of one number exactly once', async () => {
    for (let round = 0; round < 3; round++) {
      const billNo = uniqueBillNo('race');
      const answers = await Promise.all(
        ['biller', 'admin', 'biller'].map((as) => api('POST', '/api/bills', { as, body: { billNo, destination: 'D', vehicleNo: 'V', capacity: 2 } })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    }
  });

  it('validates the body and keeps creating to billers and admins', async () => {
    const bad = [
      { billNo: 'has space', destination: 'D', vehicleNo: 'V', capacity: 1 },
      { billNo: uniqueBillNo(), destination: 'D', vehicleNo: 'V', capacity: 0 },
      { billNo: uniqueBillNo(), destination: 'D', vehicleNo: 'V', capacity: 51 },
      { billNo: uniqueBillNo(), vehicleNo: 'V', capacity: 5 },
      { billNo: uniqueBillNo(), destination: 'D', vehicleNo: '', capacity: 5 },
    ];
    for (const body of bad) {
      const res = await api('POST', '/api/bills', { as: 'biller', body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    for (const as of ['dispatcher', 'supervisor']) {
      const res = await api('POST', '/api/bills', { as, body: { billNo: uniqueBillNo(), destination: 'D', vehicleNo: 'V', capacity: 5 } });
      expect(res.status).toBe(403);
    }
    expect((await api('POST', '/api/bills', { body: { billNo: uniqueBillNo(), destination: 'D', vehicleNo: 'V', capacity: 5 } })).status).toBe(401);
  });
});

describe('reading bills', () => {
  it('answers 404 for an unknown bill, 400 for a malformed number, and lets supervisors read but not dispatchers', async () => {
    const missing = await getBill(uniqueBillNo('nope'));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect((await getBill('bad%20number')).body.error.code).toBe('INVALID_INPUT');
    const billNo = await createBill();
    expect((await getBill(billNo.toLowerCase(), 'supervisor')).body.bill.billNo).toBe(billNo);
    expect((await getBill(billNo, 'dispatcher')).status).toBe(403);
  });
});

describe('scanning parents into a bill', () => {
  it('adds a parent, calls a repeat a duplicate, and follows live child counts for the totals', async () => {
    const billNo = await createBill(5);
    const a = await openParent(3);
    const b = await openParent(2);
    const added = await addParent(billNo, a.toLowerCase());
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ result: 'added', parentQr: a, parentCount: 1, childCount: 3, capacity: 5, status: 'in_progress' });
    // The parent's own count and state come with the answer: this one is not complete (3 of 30).
    expect(added.body.parent).toEqual({ qr: a, childCount: 3, capacity: 30, status: 'open' });
    expect((await addParent(billNo, a)).body).toMatchObject({ result: 'duplicate', parentCount: 1 });
    await addParent(billNo, b);
    let bill = (await getBill(billNo)).body.bill;
    expect(bill).toMatchObject({ parentCount: 2, childCount: 5, actualWeightKg: null, expectedWeightKg: 5, varianceKg: null, status: 'in_progress', stale: false });
    expect(bill.parents.map((p: { qr: string; childCount: number }) => [p.qr, p.childCount])).toEqual([[a, 3], [b, 2]]);
    // Each parent's state and dispatch area (the dispatcher's: Lucknow) for the parents table and the print sheet.
    expect(bill.parents[0]).toMatchObject({ status: 'open', capacity: 30, areaId: expect.any(Number) });
    // Scanning goes on in a parent on an open bill; the bill's totals follow.
    expect((await scanChild(b)).body.result).toBe('linked');
    bill = (await getBill(billNo)).body.bill;
    expect(bill).toMatchObject({ childCount: 6, expectedWeightKg: 6, actualWeightKg: null, varianceKg: null });
    // The parent knows which bill it is on.
    expect((await api('GET', `/api/parents/${a}`, { as: 'dispatcher' })).body.parent).toMatchObject({ billNo, billFinalized: false });
  });

  it('answers PARENT_NOT_FOUND, INVALID_QR and NOT_FOUND for the bill', async () => {
    const billNo = await createBill();
    const never = await addParent(billNo, uniqueParent());
    expect(never.status).toBe(404);
    expect(never.body.error.code).toBe('PARENT_NOT_FOUND');
    const child = await addParent(billNo, uniqueChild());
    expect(child.status).toBe(400);
    expect(child.body.error.code).toBe('INVALID_QR');
    expect((await addParent(billNo, 'SB1')).body.error.code).toBe('INVALID_QR');
    const missingBill = await addParent(uniqueBillNo('nobill'), await openParent());
    expect(missingBill.status).toBe(404);
    expect(missingBill.body.error.code).toBe('NOT_FOUND');
    expect((await api('POST', `/api/bills/${billNo}/parents`, { as: 'biller', body: { qr: 5 } })).status).toBe(400);
  });

  it('keeps scanning parents in to billers and admins', async () => {
    const billNo = await createBill();
    const parent = await openParent();
    for (const as of ['dispatcher', 'supervisor']) expect((await addParent(billNo, parent, { as })).status).toBe(403);
    expect((await addParent(billNo, parent, { as: 'admin' })).body.result).toBe('added');
  });

  it('is idempotent per scanId: a repeat returns the first answer and changes nothing', async () => {
    const billNo = await createBill(2);
    const parent = await openParent(1);
    const scanId = `bill-scan-${crypto.randomUUID()}`;
    const first = await addParent(billNo, parent, { scanId });
    expect(first.body.result).toBe('added');
    expect((await api('DELETE', `/api/bills/${billNo}/parents/${parent}`, { as: 'biller' })).status).toBe(200);
    const repeat = await addParent(billNo, parent, { scanId });
    expect(repeat.body).toEqual(first.body);
    expect((await getBill(billNo)).body.bill.parentCount).toBe(0);
    // A rejection is remembered too.
    const otherScan = `bill-scan-${crypto.randomUUID()}`;
    const missing = uniqueParent();
    expect((await addParent(billNo, missing, { scanId: otherScan })).body.error.code).toBe('PARENT_NOT_FOUND');
    expect((await addParent(billNo, missing, { scanId: otherScan })).body.error.code).toBe('PARENT_NOT_FOUND');
  });

  it('fills up: completed at capacity, then BILL_FULL', async () => {
    const billNo = await createBill(2);
    const [a, b, c] = [await openParent(), await openParent(), await openParent()];
    expect((await addParent(billNo, a)).body.status).toBe('in_progress');
    expect((await addParent(billNo, b)).body).toMatchObject({ result: 'added', parentCount: 2, status: 'completed' });
    const full = await addParent(billNo, c);
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: 'BILL_FULL', billNo });
    // The refused parent stays free for another bill.
    const other = await createBill(1);
    expect((await addParent(other, c)).body.result).toBe('added');
  });

  it('puts a parent on one bill only: PARENT_ON_OTHER_BILL names the bill', async () => {
    const first = await createBill();
    const second = await createBill();
    const parent = await openParent();
    await addParent(first, parent);
    const refused = await addParent(second, parent);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'PARENT_ON_OTHER_BILL', billNo: first });
  });

  it('two billers adding the same parent to two bills at once: exactly one wins, every time', async () => {
    for (let round = 0; round < 6; round++) {
      const bills = [await createBill(), await createBill(5, 'admin')];
      const parent = await openParent(1);
      const answers = await Promise.all([addParent(bills[0]!, parent), addParent(bills[1]!, parent, { as: 'admin' })]);
      const winners = answers.filter((a) => a.status === 200 && a.body.result === 'added');
      const losers = answers.filter((a) => a.status === 409);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const winnerBill = bills[answers.indexOf(winners[0]!)]!;
      expect(losers[0]!.body.error).toMatchObject({ code: 'PARENT_ON_OTHER_BILL', billNo: winnerBill });
      const views = await Promise.all(bills.map((b) => getBill(b)));
      expect(views.map((v) => v.body.bill.parentCount).sort()).toEqual([0, 1]);
      expect((await api('GET', `/api/parents/${parent}`, { as: 'dispatcher' })).body.parent.billNo).toBe(winnerBill);
    }
  });

  it('never overfills a bill under concurrent adds', async () => {
    const billNo = await createBill(2);
    const parents = await Promise.all(Array.from({ length: 5 }, () => openParent()));
    const answers = await Promise.all(parents.map((p) => addParent(billNo, p)));
    expect(answers.filter((a) => a.body.result === 'added')).toHaveLength(2);
    expect(answers.filter((a) => a.body.error?.code === 'BILL_FULL')).toHaveLength(3);
    const bill = (await getBill(billNo)).body.bill;
    expect(bill.parentCount).toBe(2);
    // The refused parents were given back: another bill can take each of them.
    const refused = parents.filter((_, i) => answers[i]!.body.error);
    const other = await createBill(5);
    for (const p of refused) expect((await addParent(other, p)).body.result).toBe('added');
  });
});

describe('removing, finalizing and reopening', () => {
  it('removes a parent from an open bill and frees it for another bill', async () => {
    const billNo = await createBill();
    const parent = await openParent(2);
    await addParent(billNo, parent);
    const notThere = await api('DELETE', `/api/bills/${billNo}/parents/${await openParent()}`, { as: 'biller' });
    expect(notThere.status).toBe(404);
    expect((await api('DELETE', `/api/bills/${billNo}/parents/${parent}`, { as: 'supervisor' })).status).toBe(403);
    const removed = await api('DELETE', `/api/bills/${billNo}/parents/${parent.toLowerCase()}`, { as: 'biller' });
    expect(removed.status).toBe(200);
    expect(removed.body.bill).toMatchObject({ parentCount: 0, status: 'empty' });
    expect((await api('GET', `/api/parents/${parent}`, { as: 'dispatcher' })).body.parent.billNo).toBeNull();
    const other = await createBill();
    expect((await addParent(other, parent)).body.result).toBe('added');
  });

  it('finalizes (biller), freezes parents and totals, refuses changes; reopens (admin only)', async () => {
    const billNo = await createBill(5);
    const a = await openParent(3);
    const b = await openParent(1);
    await addParent(billNo, a);
    await addParent(billNo, b);
    expect((await api('POST', `/api/bills/${billNo}/finalize`, { as: 'dispatcher' })).status).toBe(403);
    const fin = await api('POST', `/api/bills/${billNo}/finalize`, { as: 'biller' });
    expect(fin.status).toBe(200);
    expect(fin.body.bill).toMatchObject({ finalized: true, status: 'completed', parentCount: 2, childCount: 4, finalizedBy: 'biller' });
    // Finalizing again changes nothing.
    expect((await api('POST', `/api/bills/${billNo}/finalize`, { as: 'biller' })).body.bill.finalizedAt).toBe(fin.body.bill.finalizedAt);

    // The bill is closed…
    const c = await openParent();
    const add = await addParent(billNo, c);
    expect(add.status).toBe(409);
    expect(add.body.error.code).toBe('BILL_FINALIZED');
    expect((await addParent(billNo, a)).body.result).toBe('duplicate');
    const remove = await api('DELETE', `/api/bills/${billNo}/parents/${a}`, { as: 'biller' });
    expect(remove.status).toBe(409);
    expect(remove.body.error.code).toBe('BILL_FINALIZED');
    // …and so are its parents: no new children, no unlinks, no undo.
    const scan = await scanChild(a);
    expect(scan.status).toBe(409);
    expect(scan.body.error).toMatchObject({ code: 'PARENT_ON_FINALIZED_BILL', billNo });
    const parentView = (await api('GET', `/api/parents/${a}`, { as: 'dispatcher' })).body.parent;
    expect(parentView).toMatchObject({ billNo, billFinalized: true, childCount: 3 });
    const unlink = await api('DELETE', `/api/parents/${a}/children/${parentView.children[0].qr}`, { as: 'supervisor' });
    expect(unlink.status).toBe(409);
    expect(unlink.body.error.code).toBe('PARENT_ON_FINALIZED_BILL');
    expect((await api('POST', `/api/parents/${a}/undo`, { as: 'dispatcher' })).body.error.code).toBe('PARENT_ON_FINALIZED_BILL');
    expect((await getBill(billNo)).body.bill).toMatchObject({ childCount: 4, finalized: true });

    // Only admins reopen; then everything moves again.
    expect((await api('POST', `/api/bills/${billNo}/reopen`, { as: 'biller' })).status).toBe(403);
    const reopened = await api('POST', `/api/bills/${billNo}/reopen`, { as: 'admin' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.bill).toMatchObject({ finalized: false, status: 'in_progress', finalizedAt: null });
    const again = await api('POST', `/api/bills/${billNo}/reopen`, { as: 'admin' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
    expect((await scanChild(a)).body.result).toBe('linked');
    expect((await getBill(billNo)).body.bill.childCount).toBe(5);
    expect((await addParent(billNo, c)).body.result).toBe('added');
  });

  it('refuses to finalize an empty bill', async () => {
    const billNo = await createBill();
    const res = await api('POST', `/api/bills/${billNo}/finalize`, { as: 'biller' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
  });
});

describe('partial failures', () => {
  it('a claim whose outcome the bill never recorded is released when the bill object restarts', async () => {
    const billNo = await createBill();
    const parent = await openParent(1);
    // The parent said yes, then the bill object died before recording it: only the claim intent is stored.
    const parentStub = env.PARENTS.get(env.PARENTS.idFromName(parent));
    expect((await parentStub.claimBill(parent, billNo, 1_000)).ok).toBe(true);
    expect((await api('GET', `/api/parents/${parent}`, { as: 'dispatcher' })).body.parent.billNo).toBe(billNo);
    const billStub = env.BILLS.get(env.BILLS.idFromName(billNo));
    // What the constructor does on a restart, then the alarm it schedules. (Restarting all objects with
    // abortAllDurableObjects made the pool hang at the end of this file now and then.)
    await runInDurableObject(billStub, async (instance: BillSession, state) => {
      state.storage.sql.exec('INSERT INTO claims_in_flight (qr, version) VALUES (?, ?)', parent, 1_000);
      (instance as unknown as { recoverClaimsInFlight(): void }).recoverClaimsInFlight();
      expect(state.storage.sql.exec('SELECT count(*) AS n FROM claims_in_flight').one().n).toBe(0);
      await instance.alarm();
    });

    // The parent is free again and the bill never listed it.
    expect((await getBill(billNo)).body.bill.parentCount).toBe(0);
    expect((await api('GET', `/api/parents/${parent}`, { as: 'dispatcher' })).body.parent.billNo).toBeNull();
    expect((await addParent(await createBill(), parent)).body.result).toBe('added');
  });

  it('a late release or freeze from a bill cannot undo a newer decision', async () => {
    const billNo = await createBill();
    const parent = await openParent(1);
    expect((await addParent(billNo, parent)).body.result).toBe('added');
    const parentStub = env.PARENTS.get(env.PARENTS.idFromName(parent));
    // Calls older than the claim (version 1 is below any version the bill used for it) change nothing.
    expect((await parentStub.releaseBill(parent, billNo, 1)).ok).toBe(true);
    expect((await parentStub.syncBill(parent, billNo, true, 1)).ok).toBe(true);
    // Nor do calls from a bill the parent is not on.
    await parentStub.releaseBill(parent, 'SOME-OTHER-BILL', Number.MAX_SAFE_INTEGER);
    const view = (await api('GET', `/api/parents/${parent}`, { as: 'dispatcher' })).body.parent;
    expect(view).toMatchObject({ billNo, billFinalized: false });
    expect((await scanChild(parent)).body.result).toBe('linked');
  });
});

describe('bill WebSocket', () => {
  it('sends the state first, then added, removed and finalized events', async () => {
    const billNo = await createBill(3);
    const parent = await openParent(2);
    const ws = await TestSocket.connect(`/api/bills/${billNo}/ws`, 'supervisor');
    expect((await ws.next((m) => m.type === 'state')).bill).toMatchObject({ billNo, parentCount: 0 });
    await addParent(billNo, parent);
    expect(await ws.next((m) => m.type === 'added')).toMatchObject({ billNo, parentQr: parent, parentCount: 1, childCount: 2, status: 'in_progress', by: 'biller' });
    // A child scanned into a parent of the open bill shows up live.
    await scanChild(parent);
    expect(await ws.next((m) => m.type === 'parent')).toMatchObject({ billNo, parentQr: parent, parentChildCount: 3, parentCount: 1, childCount: 3 });
    await api('DELETE', `/api/bills/${billNo}/parents/${parent}`, { as: 'biller' });
    expect(await ws.next((m) => m.type === 'removed')).toMatchObject({ parentQr: parent, parentCount: 0, status: 'empty' });
    await addParent(billNo, parent);
    await api('POST', `/api/bills/${billNo}/finalize`, { as: 'biller' });
    expect(await ws.next((m) => m.type === 'finalized')).toMatchObject({ finalized: true, status: 'completed' });
    ws.send({ type: 'resync' });
    expect((await ws.next((m) => m.type === 'state')).bill).toMatchObject({ finalized: true, parentCount: 1 });
    ws.send({ type: 'nonsense' });
    expect((await ws.next((m) => m.type === 'error')).error.code).toBe('INVALID_INPUT');
    ws.ws.close(1000);
  });

  it('refuses dispatchers and unknown bills', async () => {
    await expect(TestSocket.connect(`/api/bills/${await createBill()}/ws`, 'dispatcher')).rejects.toThrow(/403/);
    await expect(TestSocket.connect(`/api/bills/${uniqueBillNo('x')}/ws`, 'biller')).rejects.toThrow(/404/);
  });
});

describe('the parents of a bill and its weight', () => {
  it('says when a parent on the bill becomes complete', async () => {
    const billNo = await createBill(5);
    const a = await openParent(1);
    await addParent(billNo, a);
    expect((await getBill(billNo)).body.bill.parents[0]).toMatchObject({ qr: a, status: 'open', childCount: 1 });
    expect((await api('POST', `/api/parents/${a}/complete`, { as: 'supervisor' })).status).toBe(200);
    expect((await getBill(billNo)).body.bill.parents[0]).toMatchObject({ qr: a, status: 'completed', childCount: 1 });
    // A repeat scan of a complete parent says so too.
    expect((await addParent(billNo, a)).body).toMatchObject({ result: 'duplicate', parent: { qr: a, status: 'completed' } });
  });

  it('records the actual weight from a person or a weighbridge, shows the variance only then, and clears it', async () => {
    const billNo = await createBill(5);
    const a = await openParent(3);
    await addParent(billNo, a);
    const weighed = await api('PATCH', `/api/bills/${billNo}`, { as: 'biller', body: { actualWeightKg: 3.456 } });
    expect(weighed.status).toBe(200);
    expect(weighed.body.bill).toMatchObject({ actualWeightKg: 3.46, expectedWeightKg: 3, varianceKg: 0.46, weightSource: 'manual', weighedBy: 'biller' });
    expect(Date.parse(weighed.body.bill.weighedAt)).toBeGreaterThan(Date.now() - 60_000);
    // A weighbridge device with a biller's token sets it after the bill was finalized (trucks are weighed at the gate).
    expect((await api('POST', `/api/bills/${billNo}/finalize`, { as: 'biller' })).status).toBe(200);
    const bridge = await api('PATCH', `/api/bills/${billNo}`, { as: 'admin', body: { actualWeightKg: 2.5, weightSource: 'weighbridge' } });
    expect(bridge.body.bill).toMatchObject({ actualWeightKg: 2.5, varianceKg: -0.5, weightSource: 'weighbridge', weighedBy: 'admin', finalized: true });
    expect((await getBill(billNo, 'supervisor')).body.bill).toMatchObject({ actualWeightKg: 2.5, weightSource: 'weighbridge' });
    const cleared = await api('PATCH', `/api/bills/${billNo}`, { as: 'biller', body: { actualWeightKg: null } });
    expect(cleared.body.bill).toMatchObject({ actualWeightKg: null, varianceKg: null, weightSource: null, weighedBy: null });
  });

  it('refuses bad weights with INVALID_INPUT, and weighing to anyone but billers and admins', async () => {
    const billNo = await createBill(5);
    for (const body of [{ actualWeightKg: -1 }, { actualWeightKg: 100_001 }, { actualWeightKg: 'heavy' }, {}, { actualWeightKg: 5, weightSource: 'guess' }, { actualWeightKg: 5, status: 'x' }]) {
      const res = await api('PATCH', `/api/bills/${billNo}`, { as: 'biller', body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    for (const as of ['dispatcher', 'supervisor']) expect((await api('PATCH', `/api/bills/${billNo}`, { as, body: { actualWeightKg: 5 } })).status).toBe(403);
    expect((await api('PATCH', `/api/bills/${uniqueBillNo('none')}`, { as: 'biller', body: { actualWeightKg: 5 } })).status).toBe(404);
    expect((await getBill(billNo)).body.bill.actualWeightKg).toBeNull();
  });
});
