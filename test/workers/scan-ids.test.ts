// A client's scanId is an idempotency key inside one parent (or one bill), never a global key: the same
// scanId used in two parents or two bills must land every acknowledged change in Postgres and the audit
// log (issue 10, point 1). Before the fix the second parent's link, scan and undo were dropped by
// `ON CONFLICT (event_id) DO NOTHING`.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { count, rows, setDatabase, sql, waitFor } from './db';
import { api, uniqueChild, uniqueParent } from './helpers';

async function openParent(): Promise<string> {
  const qr = uniqueParent();
  expect((await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' })).status).toBe(200);
  return qr;
}

const scan = (parent: string, qr: string, scanId: string) =>
  api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr, scanId } });
const undo = (parent: string, scanId: string) => api('POST', `/api/parents/${parent}/undo`, { as: 'dispatcher', body: { scanId } });

const linkOf = async (child: string) =>
  (await rows<{ parent_qr: string }>(sql`SELECT parent_qr FROM links WHERE child_qr = ${child}`))[0]?.parent_qr ?? null;
const auditOf = (child: string) =>
  rows<{ action: string; after: { parentQr: string | null }; before: { parentQr: string } | null }>(
    sql`SELECT action, after, before FROM audit_log WHERE entity_type = 'bag' AND entity_id = ${child} AND action LIKE 'scan.%' ORDER BY at, id`,
  );
const scanRows = (parent: string) =>
  rows<{ child_qr: string; result: string }>(sql`SELECT child_qr, result FROM scans WHERE parent_qr = ${parent} ORDER BY created_at, id`);

let n = 0;
const uniqueBillNo = () => `SID-${Date.now().toString(36).toUpperCase()}-${++n}`;

afterEach(async () => {
  await setDatabase(true);
});

describe('scanIds are per parent, not global', () => {
  it('the same scanId in two parents: both links, scans and audit rows reach Postgres; a repeat returns the first answer', async () => {
    const scanId = `shared-${crypto.randomUUID()}`;
    const [p1, p2] = [await openParent(), await openParent()];
    const [c1, c2, c3] = [uniqueChild('S'), uniqueChild('S'), uniqueChild('S')];
    expect((await scan(p1, c1, scanId)).body).toMatchObject({ result: 'linked', childQr: c1, childCount: 1 });
    expect((await scan(p2, c2, scanId)).body).toMatchObject({ result: 'linked', childQr: c2, childCount: 1 });
    // Within one parent the scanId is still the idempotency key: the first answer, nothing linked again.
    const repeat = await scan(p1, c3, scanId);
    expect(repeat.body).toMatchObject({ result: 'linked', childQr: c1, childCount: 1 });

    await waitFor(async () => [await linkOf(c1), await linkOf(c2)], (l) => l[0] === p1 && l[1] === p2);
    expect(await linkOf(c3)).toBeNull();
    expect(await scanRows(p1)).toEqual([{ child_qr: c1, result: 'linked' }]);
    expect(await scanRows(p2)).toEqual([{ child_qr: c2, result: 'linked' }]);
    const audits = await waitFor(async () => [await auditOf(c1), await auditOf(c2)], (a) => a[0]!.length === 1 && a[1]!.length === 1);
    expect(audits[0]![0]).toMatchObject({ action: 'scan.link', after: { parentQr: p1 } });
    expect(audits[1]![0]).toMatchObject({ action: 'scan.link', after: { parentQr: p2 } });
    expect(await count(sql`SELECT count(*) AS n FROM link_events WHERE child_qr IN ${[c1, c2]} AND kind = 'link'`)).toBe(2);
    expect(await count(sql`SELECT count(*) AS n FROM flush_conflicts WHERE child_qr IN ${[c1, c2, c3]}`)).toBe(0);
  });

  it('the same undo scanId in two parents (and equal to a scan id elsewhere): both removals reach Postgres and the audit log', async () => {
    const undoId = `undo-${crypto.randomUUID()}`;
    const [p1, p2] = [await openParent(), await openParent()];
    const [keep, a, b] = [uniqueChild('U'), uniqueChild('U'), uniqueChild('U')];
    expect((await scan(p1, keep, `k-${undoId}`)).body.result).toBe('linked');
    expect((await scan(p1, a, `a-${undoId}`)).body.result).toBe('linked');
    // The second parent's link carries the very id the undos will use.
    expect((await scan(p2, b, undoId)).body.result).toBe('linked');
    await waitFor(async () => [await linkOf(a), await linkOf(b)], (l) => l[0] === p1 && l[1] === p2);

    const first = await undo(p1, undoId);
    expect(first.body).toMatchObject({ removed: a, childCount: 1 });
    const other = await undo(p2, `second-${undoId}`);
    expect(other.body).toMatchObject({ removed: b, childCount: 0 });
    // A repeat in the first parent answers the first undo again and removes nothing more.
    expect((await undo(p1, undoId)).body).toMatchObject({ removed: a, childCount: 1 });

    await waitFor(async () => [await linkOf(a), await linkOf(b)], (l) => l[0] === null && l[1] === null);
    expect(await linkOf(keep)).toBe(p1);
    const audits = await waitFor(async () => [await auditOf(a), await auditOf(b)], (x) => x[0]!.length === 2 && x[1]!.length === 2);
    expect(audits[0]!.map((r) => r.action)).toEqual(['scan.link', 'scan.undo']);
    expect(audits[0]![1]).toMatchObject({ before: { parentQr: p1 } });
    expect(audits[1]!.map((r) => r.action)).toEqual(['scan.link', 'scan.undo']);
    expect(audits[1]![1]).toMatchObject({ before: { parentQr: p2 } });
    expect(await count(sql`SELECT count(*) AS n FROM link_events WHERE child_qr IN ${[a, b]} AND kind = 'unlink'`)).toBe(2);
  });

  it('the same undo scanId in two parents removes from both', async () => {
    const undoId = `twice-${crypto.randomUUID()}`;
    const [p1, p2] = [await openParent(), await openParent()];
    const [a, b] = [uniqueChild('W'), uniqueChild('W')];
    expect((await scan(p1, a, `a-${undoId}`)).body.result).toBe('linked');
    expect((await scan(p2, b, `b-${undoId}`)).body.result).toBe('linked');
    await waitFor(async () => [await linkOf(a), await linkOf(b)], (l) => l[0] === p1 && l[1] === p2);
    expect((await undo(p1, undoId)).body).toMatchObject({ removed: a });
    expect((await undo(p2, undoId)).body).toMatchObject({ removed: b });
    await waitFor(async () => [await linkOf(a), await linkOf(b)], (l) => l[0] === null && l[1] === null);
    const audits = await waitFor(async () => [await auditOf(a), await auditOf(b)], (x) => x[0]!.length === 2 && x[1]!.length === 2);
    expect(audits.map((x) => x[1]!.action)).toEqual(['scan.undo', 'scan.undo']);
  });
});

describe('event ids after the deploy', () => {
  it('outbox rows an object stored before ids were scoped (bare scanIds) still reach Postgres, for both parents', async () => {
    const bareId = `old-${crypto.randomUUID()}`;
    const [p1, p2] = [await openParent(), await openParent()];
    const [c1, c2] = [uniqueChild('L'), uniqueChild('L')];
    const now = new Date().toISOString();
    for (const [parent, child] of [[p1, c1], [p2, c2]] as const) {
      const stub = env.PARENTS.get(env.PARENTS.idFromName(parent));
      // What the previous code wrote into the object's SQLite outbox for an accepted scan.
      await runInDurableObject(stub, (_instance, state) => {
        const change = { kind: 'link', eventId: bareId, childQr: child, parentQr: parent, areaId: 1, at: now, userId: 4 };
        const scanRow = { scanId: bareId, parentQr: parent, childQr: child, userId: 4, areaId: 1, result: 'linked', errorCode: null, at: now };
        state.storage.sql.exec(`INSERT INTO outbox (kind, body) VALUES ('change', ?), ('scan', ?)`, JSON.stringify(change), JSON.stringify(scanRow));
        // The open's own flush alarm may have run already (opening asks Postgres for the empty-parent cap).
        return state.storage.setAlarm(Date.now() + 60_000);
      });
      await runDurableObjectAlarm(stub);
    }
    await waitFor(async () => [await linkOf(c1), await linkOf(c2)], (l) => l[0] === p1 && l[1] === p2);
    expect(await scanRows(p1)).toEqual([{ child_qr: c1, result: 'linked' }]);
    expect(await scanRows(p2)).toEqual([{ child_qr: c2, result: 'linked' }]);
    await waitFor(async () => [await auditOf(c1), await auditOf(c2)], (a) => a[0]!.length === 1 && a[1]!.length === 1);
  });

  it('an event id Postgres holds for another event is recorded and shown in /health/detailed', async () => {
    const parent = await openParent();
    const [stale, child] = [uniqueChild('H'), uniqueChild('H')];
    // Postgres already has this parent's key "again" for another child (the object lost its stored answers).
    await waitFor(() => count(sql`SELECT count(*) AS n FROM bags WHERE qr = ${parent}`), (x) => x === 1);
    await rows(sql`INSERT INTO link_events (event_id, kind, child_qr, parent_qr, at, user_id) VALUES (${parent + ' again'}, 'link', ${stale}, ${parent}, now(), 4)`);
    expect((await scan(parent, child, 'again')).body.result).toBe('linked');
    const recorded = await waitFor(
      () => rows<{ kind: string; child_qr: string; detail: { table: string } }>(sql`SELECT kind, child_qr, detail FROM flush_conflicts WHERE event_id = ${parent + ' again'}`),
      (r) => r.some((c) => c.detail?.table === 'link_events'),
    );
    expect(recorded.find((c) => c.detail.table === 'link_events')).toMatchObject({ kind: 'event_id_reused', child_qr: child });
    const health = await waitFor(
      () => api('GET', '/health/detailed', { as: 'admin' }),
      (r) => r.body.recentConflicts?.some((c: { eventId: string }) => c.eventId === `${parent} again`),
    );
    expect(health.body.conflictsByKind.event_id_reused).toBeGreaterThanOrEqual(1);
    expect(health.body.recentConflicts.find((c: { eventId: string }) => c.eventId === `${parent} again`)).toMatchObject({
      kind: 'event_id_reused',
      childQr: child,
      parentQr: parent,
      detail: { table: 'link_events', stored: { child_qr: stale }, refused: { child_qr: child } },
    });
  });
});

describe('scanIds are per bill, not global', () => {
  async function createBill(): Promise<string> {
    const billNo = uniqueBillNo();
    const res = await api('POST', '/api/bills', { as: 'biller', body: { billNo, destination: 'Delhi', vehicleNo: 'UP32', capacity: 5 } });
    expect(res.status).toBe(201);
    return billNo;
  }
  const add = (billNo: string, qr: string, scanId: string) => api('POST', `/api/bills/${billNo}/parents`, { as: 'biller', body: { qr, scanId } });
  const bagsOf = async (billNo: string) =>
    (await rows<{ bag_qr: string }>(sql`SELECT bb.bag_qr FROM bill_bags bb JOIN bills b ON b.id = bb.bill_id WHERE b.bill_no = ${billNo} ORDER BY bb.bag_qr`)).map(
      (r) => r.bag_qr,
    );
  const billAudit = async (billNo: string) =>
    (await rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity_type = 'bill' AND entity_id = ${billNo} ORDER BY at, id`)).map((r) => r.action);

  it('the same scanId on two bills: both adds and both removals reach Postgres and the audit log; a repeat returns the first answer', async () => {
    const scanId = `bill-${crypto.randomUUID()}`;
    const [b1, b2] = [await createBill(), await createBill()];
    const [pa, pb, pc] = [await openParent(), await openParent(), await openParent()];
    for (const p of [pa, pb, pc]) expect((await scan(p, uniqueChild('B'), `c-${p}-${scanId}`)).body.result).toBe('linked');
    await waitFor(() => count(sql`SELECT count(*) AS n FROM bags WHERE qr IN ${[pa, pb, pc]}`), (x) => x === 3);

    expect((await add(b1, pa, scanId)).body).toMatchObject({ result: 'added', parentQr: pa, parentCount: 1 });
    expect((await add(b2, pb, scanId)).body).toMatchObject({ result: 'added', parentQr: pb, parentCount: 1 });
    expect((await add(b1, pc, scanId)).body).toMatchObject({ result: 'added', parentQr: pa, parentCount: 1 });
    await waitFor(async () => [await bagsOf(b1), await bagsOf(b2)], (x) => x[0]!.join() === pa && x[1]!.join() === pb);

    expect((await api('DELETE', `/api/bills/${b1}/parents/${pa}`, { as: 'biller' })).status).toBe(200);
    expect((await api('DELETE', `/api/bills/${b2}/parents/${pb}`, { as: 'biller' })).status).toBe(200);
    await waitFor(async () => [await bagsOf(b1), await bagsOf(b2)], (x) => x[0]!.length === 0 && x[1]!.length === 0);
    for (const b of [b1, b2]) {
      const audit = await waitFor(() => billAudit(b), (x) => x.length === 3);
      expect(audit).toEqual(['bill.create', 'bill.add_parent', 'bill.remove_parent']);
    }
  });
});
