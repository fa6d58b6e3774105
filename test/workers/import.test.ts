// A TraitorTrack deployment imported (by the suite's global setup, test/support/traitortrack-import.ts) and
// then used through the API in workerd: lookups, parents that rehydrate from Postgres with their children,
// children refused elsewhere, bills, lists, reports, counters, and sign-in with TraitorTrack's passwords.
import { env } from 'cloudflare:test';
import { Secret, TOTP } from 'otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOTP_SECRET_BASE32, EXPECTED_BILLS, EXPECTED_PARENTS, EXPECTED_RETURNS, FIXTURE_DAY, TT_USERS } from '../support/traitortrack-facts';
import { rows, sql } from './db';
import { api } from './helpers';
import { WERKZEUG_3_1_8 } from '../support/werkzeug-vectors';

let ip = 0;
/** Each sign-in from its own address, so the per-IP sign-in limit never decides these tests. */
const signIn = (username: string, password: string, otp?: string) =>
  api('POST', '/api/auth/token', { body: { username, password, ...(otp ? { otp } : {}) }, headers: { 'cf-connecting-ip': `10.77.${Math.floor(++ip / 250)}.${ip % 250}` } });

async function hashOf(username: string): Promise<string> {
  const [row] = await rows<{ password_hash: string }>(sql`SELECT password_hash FROM users WHERE username = ${username}`);
  return row!.password_hash;
}

beforeAll(async () => {
  expect(env.IMPORT_ERROR).toBe('');
  // What `npm run import:traitortrack` does at the end with TRACETRACK_URL set (scripts/registry-rebuild.ts).
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { nextCursor: string | null } } = await api('POST', '/api/admin/registry/rebuild', { as: 'admin', body: { cursor, limit: 5000 } });
    expect(page.status).toBe(200);
    cursor = page.body.nextCursor;
  } while (cursor);
});

describe('an imported TraitorTrack deployment', () => {
  it('lookup shows each imported parent with its children and bill', async () => {
    for (const [qr, want] of Object.entries(EXPECTED_PARENTS)) {
      const res = await api('GET', `/api/bags/${qr}`, { as: 'admin' });
      expect(res.status).toBe(200);
      expect(res.body.bag).toMatchObject({ qr, type: 'parent', status: want.status });
      expect(res.body.children.map((c: { qr: string }) => c.qr).sort()).toEqual([...want.children].sort());
      expect(res.body.bill?.billNo ?? null).toBe(want.bill);
    }
    const child = await api('GET', '/api/bags/ttfxc001', { as: 'admin' });
    expect(child.body.parent).toMatchObject({ qr: 'SB97001', linkedBy: 'ravi' });
    expect(child.body.history.filter((h: { kind: string }) => h.kind === 'scan').map((h: { result: string }) => h.result).sort()).toEqual(['duplicate', 'linked']);
  });

  it('opening an imported parent shows its children, and they are refused in any other parent', async () => {
    const opened = await api('POST', '/api/parents/SB97001/open', { as: 'ravi' });
    expect(opened.status).toBe(200);
    expect(opened.body.parent).toMatchObject({ qr: 'SB97001', status: 'completed', childCount: 6 });
    expect(opened.body.parent.children.map((c: { qr: string }) => c.qr).sort()).toEqual([...EXPECTED_PARENTS.SB97001.children].sort());

    expect((await api('POST', '/api/parents/SB97002/open', { as: 'ravi' })).body.parent).toMatchObject({ childCount: 1, status: 'open' });
    const refused = await api('POST', '/api/parents/SB97002/children', { as: 'ravi', body: { qr: 'TTFXC001', scanId: 'import-test-1' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CHILD_IN_OTHER_PARENT' });
    expect(refused.body.error.message).toContain('SB97001');
    // A child TraitorTrack had in no parent can go into an imported one; the parent's own children stay duplicates.
    expect((await api('POST', '/api/parents/SB97002/children', { as: 'ravi', body: { qr: 'TTFXC009', scanId: 'import-test-2' } })).body).toMatchObject({ result: 'linked', childCount: 2 });
    expect((await api('POST', '/api/parents/SB97002/children', { as: 'ravi', body: { qr: 'ttfxc004', scanId: 'import-test-3' } })).body).toMatchObject({ result: 'duplicate' });
    // An imported QR keeps its role: a parent is never a child.
    expect((await api('POST', '/api/parents/SB97002/children', { as: 'ravi', body: { qr: 'SB97003', scanId: 'import-test-4' } })).status).toBe(409);
  });

  it('bills come over with their parents, capacity and finalization', async () => {
    for (const [billNo, want] of Object.entries(EXPECTED_BILLS)) {
      const res = await api('GET', `/api/bills/${billNo}`, { as: 'meena' });
      expect(res.status).toBe(200);
      expect(res.body.bill).toMatchObject({ billNo, capacity: want.capacity, finalized: want.finalized });
      expect(res.body.bill.parents.map((p: { qr: string }) => p.qr).sort()).toEqual([...want.parents].sort());
    }
    const billA = await api('GET', '/api/bills/bill-a', { as: 'meena' });
    expect(billA.body.bill).toMatchObject({ status: 'completed', parentCount: 1, childCount: 6 });
    const list = await api('GET', '/api/bills?q=BILL-A', { as: 'meena' });
    expect(list.body.items.map((b: { billNo: string }) => b.billNo).sort()).toEqual(['BILL-A', 'BILL-A-302']);
    // A parent on an imported finalized bill is frozen.
    const frozen = await api('POST', '/api/parents/SB97001/open', { as: 'ravi' });
    expect(frozen.status).toBe(200);
    const add = await api('POST', '/api/parents/SB97001/children', { as: 'ravi', body: { qr: 'TTFXNEW1', scanId: 'import-test-5' } });
    expect(add.body.error?.code).toBe('PARENT_ON_FINALIZED_BILL');
  });

  it('lists, reports and counters show the imported history', async () => {
    const scans = await api('GET', '/api/scans?parentQr=SB97001&limit=50', { as: 'admin' });
    expect(scans.body.items).toHaveLength(9);
    const bags = await api('GET', '/api/bags?q=TTFXOC&limit=100', { as: 'admin' });
    expect(bags.body.items).toHaveLength(32);
    const daily = await api('GET', `/api/reports/daily?date=${FIXTURE_DAY}`, { as: 'admin' });
    expect(daily.status).toBe(200);
    expect(daily.body.total).toEqual({ scans: 14, linked: 12, duplicate: 2, rejected: 0 });
    const ravi = daily.body.byUser.find((u: { username: string }) => u.username === 'ravi');
    expect(ravi).toMatchObject({ scans: 13 }); // the 14th scan's user id did not exist
    const hourly = await api('GET', `/api/stats/hourly?date=${FIXTURE_DAY}`, { as: 'admin' });
    expect(hourly.body.days[0].hours.reduce((t: number, h: { scans: number }) => t + h.scans, 0)).toBe(14);
    const audit = await api('GET', '/api/audit?action=import.', { as: 'admin' });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toContain('import.traitortrack');
  });

  it('imported return tickets are what their ReturnTicket objects show; returned parents are off their bills', async () => {
    const stored = await rows<{ source_id: string; code: string; status: string; parent_count: number; child_count: number }>(sql`SELECT m.source_id::text, t.code, t.status, t.parent_count, t.child_count
      FROM import_id_map m JOIN return_tickets t ON t.code = m.target_key WHERE m.entity = 'return_ticket' ORDER BY m.source_id`);
    expect(stored.map((t) => t.source_id)).toEqual(['1', '2', '3', '4']);
    for (const t of stored) {
      const want = EXPECTED_RETURNS[Number(t.source_id) as keyof typeof EXPECTED_RETURNS];
      const parents = await rows<{ qr: string; bill_no: string; bill_finalized: boolean; child_count: number; returned_at: string; by: string | null }>(sql`SELECT p.bag_qr AS qr, p.bill_no,
        p.bill_finalized, p.child_count, to_char(p.returned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS returned_at, u.username AS by
        FROM return_ticket_parents p JOIN return_tickets r ON r.id = p.ticket_id LEFT JOIN users u ON u.id = p.returned_by WHERE r.code = ${t.code} ORDER BY p.bag_qr`);
      const res = await api('GET', `/api/returns/${t.code}`, { as: 'meena' });
      expect(res.status).toBe(200);
      expect(res.body.ticket).toMatchObject({ code: t.code, status: want.status, parentCount: t.parent_count, childCount: t.child_count, weightKg: t.child_count });
      expect(res.body.ticket.parents).toEqual(
        parents.map((p) => ({ qr: p.qr, billNo: p.bill_no, billFinalized: p.bill_finalized, childCount: p.child_count, returnedAt: p.returned_at, by: p.by ?? 'unknown' })),
      );
      expect(parents.map((p) => ({ qr: p.qr, billNo: p.bill_no, billFinalized: p.bill_finalized, childCount: p.child_count, by: p.by }))).toEqual(want.parents);
    }
    // The bill it came off keeps a returned line; the parent is on no bill and says which ticket took it.
    const billA = await api('GET', '/api/bills/BILL-A', { as: 'meena' });
    expect(billA.body.bill.returned).toEqual([expect.objectContaining({ qr: 'SB97004', ticketCode: 'RTN-20220302-4F2A', childCount: 1 })]);
    expect(billA.body.bill.parents.map((p: { qr: string }) => p.qr)).not.toContain('SB97004');
    expect((await api('GET', '/api/bags/SB97004', { as: 'meena' })).body.history).toContainEqual(expect.objectContaining({ kind: 'return', ticketCode: 'RTN-20220302-4F2A', billNo: 'BILL-A' }));
    expect((await api('GET', '/api/returns?q=SB97004', { as: 'meena' })).body.items.map((t: { code: string }) => t.code)).toEqual(['RTN-20220302-4F2A']);
    // The parent object agrees: returned already (its ticket is finalized), and free for a new bill.
    const created = await api('POST', '/api/returns', { as: 'meena', body: { areaId: 1 } });
    expect(created.status).toBe(201);
    const again = await api('POST', `/api/returns/${created.body.ticket.code}/parents`, { as: 'meena', body: { qr: 'SB97004', scanId: 'import-return-1' } });
    expect({ status: again.status, code: again.body.error?.code, ticket: again.body.error?.ticketCode }).toEqual({ status: 409, code: 'PARENT_ALREADY_RETURNED', ticket: 'RTN-20220302-4F2A' });
    // An imported open ticket goes on taking parents: SB97005 off its open bill.
    const open = stored.find((t) => t.source_id === '4')!;
    const took = await api('POST', `/api/returns/${open.code}/parents`, { as: 'meena', body: { qr: 'SB97005', scanId: 'import-return-2' } });
    expect(took.body).toMatchObject({ result: 'returned', billNo: 'BILL-A-302', parentCount: 1, childCount: 3 });
    const bill302 = await api('GET', '/api/bills/BILL-A-302', { as: 'meena' });
    expect(bill302.body.bill.parents).toEqual([]);
    expect(bill302.body.bill.returned.map((r: { qr: string; ticketCode: string }) => [r.qr, r.ticketCode])).toEqual([
      ['SB97002', stored.find((t) => t.source_id === '3')!.code],
      ['SB97005', open.code],
    ]);
    const billed = await api('POST', '/api/bills/BILL-A-302/parents', { as: 'meena', body: { qr: 'SB97004', scanId: 'import-return-3' } });
    expect(billed.body.result).toBe('added');
  });

  it('people sign in with their TraitorTrack passwords; the first success stores our own hash', async () => {
    expect(await hashOf('ravi')).toMatch(/^pbkdf2:sha256:600000\$/);
    const started = Date.now();
    const first = await signIn('ravi', TT_USERS.ravi.password);
    const ms = Date.now() - started;
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ username: 'ravi', role: 'dispatcher' });
    console.log(`sign-in with a werkzeug pbkdf2:sha256:600000 hash (verify + rehash): ${ms} ms`);
    expect(await hashOf('ravi')).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect((await signIn('ravi', TT_USERS.ravi.password)).status).toBe(200);
    const [rehash] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log a JOIN users u ON u.id::text = a.entity_id
      WHERE a.action = 'auth.password_rehash' AND u.username = 'ravi'`);
    expect(rehash!.n).toBe(1);

    expect((await signIn('Ravi-3', TT_USERS.raviUpper.password)).status).toBe(200);
    expect((await signIn('meena', 'not-her-password')).status).toBe(401);
    expect(await hashOf('meena')).toMatch(/^scrypt:16384:8:1\$/);
    // Deactivated by the import (unknown role): the right password, but no session.
    const sunil = await signIn('sunil', TT_USERS.sunil.password);
    expect({ status: sunil.status, code: sunil.body.error?.code }).toEqual({ status: 403, code: 'ACCOUNT_DEACTIVATED' });
    expect((await signIn('bad_user_', TT_USERS.bad.password)).status).toBe(401);
    expect((await signIn('totpbroken', TT_USERS.totpBroken.password)).status).toBe(200);
  });

  it('an imported admin keeps the authenticator: TOTP is asked for and accepted', async () => {
    const withoutCode = await signIn('admin-tt', TT_USERS.admin.password);
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.error.code).toBe('OTP_REQUIRED');
    const totp = new TOTP({ secret: Secret.fromBase32(ADMIN_TOTP_SECRET_BASE32), digits: 6, period: 30, algorithm: 'SHA1' });
    const res = await signIn('admin-tt', TT_USERS.admin.password, totp.generate());
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'admin-tt', role: 'admin' });
    expect(await hashOf('admin-tt')).toMatch(/^pbkdf2-sha256\$/);
  });
});

describe('werkzeug hashes in workerd', () => {
  it('verifies hashes werkzeug made, and says what one verification costs here', async () => {
    const { verifyLegacyPassword } = await import('../../src/worker/auth/legacy-password');
    for (const [password, hash] of WERKZEUG_3_1_8) {
      const started = performance.now();
      expect(await verifyLegacyPassword(password, hash)).toBe(true);
      const ms = performance.now() - started;
      console.log(`verify ${hash.split('$')[0]} in workerd: ${ms.toFixed(0)} ms`);
      expect(await verifyLegacyPassword(`${password}!`, hash)).toBe(false);
    }
  });
});
