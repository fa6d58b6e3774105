// POST /api/imports/rows (issue 13 point 3): rows applied through the parent and bill objects, so the rules
// of scanning hold; dry runs change nothing; batches sent again change nothing twice; billers and admins only.
import { describe, expect, it } from 'vitest';
import { api, uniqueChild, uniqueParent } from './helpers';
import { count, rows, sql, waitFor } from './db';

let billCounter = 0;
const uniqueBillNo = (prefix: string) => `${prefix}-${Date.now().toString(36).toUpperCase()}-${++billCounter}`;

const importId = () => [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');

async function areaId(name = 'Jaipur'): Promise<number> {
  const res = await api('GET', '/api/areas', { as: 'admin' });
  return res.body.items.find((a: { name: string }) => a.name === name).id as number;
}

const send = (as: string, body: Record<string, unknown>) => api('POST', '/api/imports/rows', { as, body });

const links = (id: string, dryRun: boolean, list: Array<[string, string]>, extra: Record<string, unknown> = {}) => ({
  importId: id,
  kind: 'links',
  dryRun,
  rows: list.map(([childQr, parentQr], i) => ({ row: i + 2, childQr, parentQr })),
  ...extra,
});

const bills = (id: string, dryRun: boolean, list: Array<[string, string]>) => ({
  importId: id,
  kind: 'bills',
  dryRun,
  rows: list.map(([parentQr, billNo], i) => ({ row: i + 2, parentQr, billNo })),
});

async function parentWith(children: number): Promise<{ qr: string; children: string[] }> {
  const qr = uniqueParent();
  expect((await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' })).status).toBe(200);
  const list: string[] = [];
  for (let i = 0; i < children; i++) {
    const child = uniqueChild();
    expect((await api('POST', `/api/parents/${qr}/children`, { as: 'dispatcher', body: { qr: child } })).body.result).toBe('linked');
    list.push(child);
  }
  return { qr, children: list };
}

async function newBill(capacity: number): Promise<string> {
  const res = await api('POST', '/api/bills', { as: 'biller', body: { billNo: uniqueBillNo('IMP'), destination: 'Delhi', vehicleNo: 'UP32 1', capacity } });
  expect(res.status).toBe(201);
  return res.body.bill.billNo as string;
}

describe('who may import and what a batch must look like', () => {
  it('billers and admins only; bad bodies are 400 naming the problem; large bodies 413', async () => {
    const body = links(importId(), true, [[uniqueChild(), uniqueParent()]], { areaId: await areaId() });
    for (const as of ['dispatcher', 'supervisor']) expect((await send(as, body)).body.error.code).toBe('FORBIDDEN');
    expect((await api('POST', '/api/imports/rows', { body })).status).toBe(401);
    expect((await send('biller', body)).status).toBe(200);
    expect((await send('admin', body)).status).toBe(200);
    const bad = await send('biller', { ...body, importId: 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('importId');
    const tooMany = await send('biller', links(importId(), true, Array.from({ length: 251 }, () => [uniqueChild(), 'SB00001'] as [string, string])));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('250');
    expect((await send('biller', { ...body, kind: 'people' })).body.error.code).toBe('INVALID_INPUT');
    expect((await send('biller', { ...body, areaId: 999999 })).body.error.message).toContain('not a dispatch area');
    const huge = await api('POST', '/api/imports/rows', { as: 'biller', rawBody: JSON.stringify({ ...body, fileName: 'x'.repeat(70_000) }) });
    expect(huge.status).toBe(413);
  });
});

describe('child→parent rows', () => {
  it('a dry run says row by row what would happen and writes nothing', async () => {
    const other = await parentWith(1);
    const half = await parentWith(2);
    const fresh = uniqueParent();
    const id = importId();
    const freshChildren = Array.from({ length: 31 }, () => uniqueChild());
    const list: Array<[string, string]> = [
      [other.children[0]!, fresh], // in another parent
      [half.children[0]!, half.qr], // already there
      [uniqueChild(), half.qr],
      ...freshChildren.map((c): [string, string] => [c, fresh]), // 31 into a new parent of 30
    ];
    const res = await send('biller', links(id, true, list, { areaId: await areaId() }));
    expect(res.status).toBe(200);
    const results = res.body.results as Array<{ row: number; outcome: string; code?: string; message?: string }>;
    expect(results).toHaveLength(list.length);
    expect(results[0]).toMatchObject({ row: 2, outcome: 'conflict', code: 'CHILD_IN_OTHER_PARENT', message: expect.stringContaining(other.qr) });
    expect(results[1]).toMatchObject({ row: 3, outcome: 'already' });
    expect(results[2]).toMatchObject({ row: 4, outcome: 'would_link' });
    expect(results.slice(3, 33).every((r) => r.outcome === 'would_link')).toBe(true);
    expect(results[33]).toMatchObject({ outcome: 'conflict', code: 'PARENT_FULL' });
    // Nothing happened: the new parent does not exist, the half parent still has 2, no scan was recorded,
    // and the children are free (a dispatcher can link one elsewhere).
    expect((await api('GET', `/api/parents/${fresh}`, { as: 'admin' })).status).toBe(404);
    expect((await api('GET', `/api/parents/${half.qr}`, { as: 'admin' })).body.parent.childCount).toBe(2);
    const target = await parentWith(0);
    expect((await api('POST', `/api/parents/${target.qr}/children`, { as: 'dispatcher', body: { qr: freshChildren[0] } })).body.result).toBe('linked');
    expect(await count(sql`SELECT count(*) AS n FROM scans WHERE scan_id LIKE ${`%imp-${id.slice(0, 40)}%`}`)).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'import.rows' AND entity_id = ${id}`)).toBe(0);
  });

  it('applying links through the parent objects: rules hold, Postgres gets the links, the batch is audited', async () => {
    const other = await parentWith(1);
    const fresh = uniqueParent();
    const id = importId();
    const children = Array.from({ length: 31 }, () => uniqueChild());
    const list: Array<[string, string]> = [[other.children[0]!, fresh], ...children.map((c): [string, string] => [c, fresh])];
    const jaipur = await areaId();
    const res = await send('biller', { ...links(id, false, list, { areaId: jaipur }), fileName: 'links.xlsx' });
    expect(res.status).toBe(200);
    const results = res.body.results as Array<{ outcome: string; code?: string }>;
    expect(results[0]).toMatchObject({ outcome: 'conflict', code: 'CHILD_IN_OTHER_PARENT' });
    expect(results.slice(1, 31).every((r) => r.outcome === 'linked')).toBe(true);
    expect(results[31]).toMatchObject({ outcome: 'conflict', code: 'PARENT_FULL' });
    const parent = (await api('GET', `/api/parents/${fresh}`, { as: 'admin' })).body.parent;
    expect(parent).toMatchObject({ childCount: 30, status: 'completed', areaId: jaipur });
    // The other parent kept its child; the import's children are claimed (another parent is refused).
    expect((await api('GET', `/api/parents/${other.qr}`, { as: 'admin' })).body.parent.childCount).toBe(1);
    const elsewhere = await parentWith(0);
    const refused = await api('POST', `/api/parents/${elsewhere.qr}/children`, { as: 'dispatcher', body: { qr: children[0] } });
    expect(refused.body.error).toMatchObject({ code: 'CHILD_IN_OTHER_PARENT', parentQr: fresh });
    await waitFor(() => count(sql`SELECT count(*) AS n FROM links WHERE parent_qr = ${fresh}`), (n) => n === 30);
    const [audit] = await rows<{ actor_username: string; after: { kind: string; fileName: string; rows: number; counts: Record<string, number> } }>(
      sql`SELECT actor_username, after FROM audit_log WHERE action = 'import.rows' AND entity_id = ${id}`,
    );
    expect(audit).toMatchObject({ actor_username: 'biller', after: { kind: 'links', fileName: 'links.xlsx', rows: 32, counts: { linked: 30, conflict: 2 } } });
  });

  it('a batch sent again answers the same and changes nothing twice (resume); another file says already there', async () => {
    const fresh = uniqueParent();
    const id = importId();
    const list: Array<[string, string]> = Array.from({ length: 5 }, () => [uniqueChild(), fresh]);
    const body = links(id, false, list, { areaId: await areaId() });
    const first = await send('admin', body);
    const again = await send('admin', body);
    expect(again.body).toEqual(first.body);
    expect(first.body.results.every((r: { outcome: string }) => r.outcome === 'linked')).toBe(true);
    expect((await api('GET', `/api/parents/${fresh}`, { as: 'admin' })).body.parent.childCount).toBe(5);
    await waitFor(() => count(sql`SELECT count(*) AS n FROM scans WHERE parent_qr = ${fresh}`), (n) => n === 5);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'import.rows' AND entity_id = ${id}`)).toBe(1);
    const second = await send('admin', links(importId(), false, list));
    expect(second.body.results.every((r: { outcome: string }) => r.outcome === 'already')).toBe(true);
  });

  it('a new parent needs an area: a biller without one who names none gets a conflict row saying so', async () => {
    const res = await send('biller', links(importId(), false, [[uniqueChild(), uniqueParent()]]));
    expect(res.body.results[0]).toMatchObject({ outcome: 'conflict', code: 'INVALID_INPUT', message: expect.stringContaining('areaId') });
    const dry = await send('biller', links(importId(), true, [[uniqueChild(), uniqueParent()]]));
    expect(dry.body.results[0]).toMatchObject({ outcome: 'conflict', code: 'INVALID_INPUT', message: expect.stringContaining('area') });
  });

  it('a QR of the wrong role is refused like a scan: a child as parent, a parent as child', async () => {
    const known = await parentWith(1);
    const res = await send('admin', links(importId(), false, [[known.qr, uniqueParent()], [uniqueChild(), known.children[0]!]], { areaId: await areaId() }));
    // Malformed rows are answered by the route's own checks (the browser's), each with its problem.
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ outcome: 'invalid', code: 'QR_ROLE_CONFLICT', message: expect.stringContaining('parent label') });
    expect(res.body.results[1]).toMatchObject({ outcome: 'invalid', code: 'INVALID_QR', message: expect.stringContaining('not a parent QR') });
  });

  it('answers malformed rows with their own problem, before any area or object rule (found by hand with curl)', async () => {
    const good: [string, string] = [uniqueChild(), uniqueParent()];
    // An admin with no area names none: well-formed rows get the area conflict, the malformed ones their problem.
    const asParent = uniqueChild();
    const res = await send('admin', links(importId(), true, [['SB00002', 'SB00001'], [uniqueChild(), asParent], ['x!', 'SB00001'], good]));
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { row: number; outcome: string; code: string }) => [r.row, r.outcome, r.code])).toEqual([
      [2, 'invalid', 'QR_ROLE_CONFLICT'],
      [3, 'invalid', 'INVALID_QR'],
      [4, 'invalid', 'INVALID_QR'],
      [5, 'conflict', 'INVALID_INPUT'],
    ]);
    expect(res.body.results[1].message).toContain(`"${asParent}" is not a parent QR`);
    const bill = await send('admin', bills(importId(), true, [['C0001', 'B-1'], ['SB00001', 'bad bill!']]));
    expect(bill.body.results.map((r: { outcome: string; code: string }) => [r.outcome, r.code])).toEqual([
      ['invalid', 'INVALID_QR'],
      ['invalid', 'INVALID_INPUT'],
    ]);
  });
});

describe('parent→bill rows', () => {
  it('dry run, then apply through the bill object: capacity, one bill per parent, unknown parents and bills', async () => {
    const [a, b, c] = [await parentWith(2), await parentWith(1), await parentWith(1)];
    const onOther = await parentWith(1);
    const otherBill = await newBill(3);
    expect((await api('POST', `/api/bills/${otherBill}/parents`, { as: 'biller', body: { qr: onOther.qr } })).body.result).toBe('added');
    const bill = await newBill(2);
    const missing = uniqueParent();
    const list: Array<[string, string]> = [[a.qr, bill], [b.qr, bill], [c.qr, bill], [onOther.qr, bill], [missing, bill], [a.qr, 'NO-SUCH-BILL-1']];
    const dry = await send('biller', bills(importId(), true, list));
    expect(dry.status).toBe(200);
    expect(dry.body.results.map((r: { outcome: string; code?: string }) => r.code ?? r.outcome)).toEqual([
      'would_add',
      'would_add',
      'BILL_FULL',
      'BILL_FULL',
      'BILL_FULL',
      'NOT_FOUND',
    ]);
    expect((await api('GET', `/api/bills/${bill}`, { as: 'biller' })).body.bill.parentCount).toBe(0);
    // With room on the bill the other refusals show.
    const roomy = await newBill(10);
    const dry2 = await send('biller', bills(importId(), true, [[onOther.qr, roomy], [missing, roomy], [a.qr, roomy]]));
    expect(dry2.body.results.map((r: { outcome: string; code?: string }) => r.code ?? r.outcome)).toEqual(['PARENT_ON_OTHER_BILL', 'PARENT_NOT_FOUND', 'would_add']);
    expect((await api('GET', `/api/bills/${roomy}`, { as: 'biller' })).body.bill.parentCount).toBe(0);

    const id = importId();
    const applied = await send('biller', bills(id, false, list));
    expect(applied.body.results.map((r: { outcome: string; code?: string }) => r.code ?? r.outcome)).toEqual([
      'added',
      'added',
      'BILL_FULL',
      'BILL_FULL',
      'BILL_FULL',
      'NOT_FOUND',
    ]);
    const again = await send('biller', bills(id, false, list));
    expect(again.body).toEqual(applied.body);
    const view = (await api('GET', `/api/bills/${bill}`, { as: 'biller' })).body.bill;
    expect(view).toMatchObject({ parentCount: 2, childCount: 3, status: 'completed' });
    // One bill per parent: a is on `bill` now, so another bill's import is refused.
    const moved = await send('admin', bills(importId(), false, [[a.qr, roomy]]));
    expect(moved.body.results[0]).toMatchObject({ outcome: 'conflict', code: 'PARENT_ON_OTHER_BILL' });
    await waitFor(() => count(sql`SELECT count(*) AS n FROM bill_bags bb JOIN bills b ON b.id = bb.bill_id WHERE b.bill_no = ${bill}`), (n) => n === 2);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'import.rows' AND entity_id = ${id}`)).toBe(1);
  });
});
