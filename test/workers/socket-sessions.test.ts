// Issue 10 point 3: every socket ends with its session. Parent, bill and board sockets close (4001) within
// 60 s of sign-out, deactivation, role or area change and expiry even when their client sends nothing, and
// no event reaches a revoked session meanwhile (the fan-out checks the isolate's revocation list).
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/worker/auth/password';
import { issueToken } from '../../src/worker/auth/token';
import type { Role } from '../../src/shared/types';
import { rows, sql, waitFor } from './db';
import { api, uniqueChild, uniqueParent } from './helpers';
import { TestSocket } from './ws-client';

const LIMIT_MS = 60_000;
let n = 0;

async function areaOf(username: string): Promise<number> {
  const [u] = await rows<{ area_id: number }>(sql`SELECT area_id FROM users WHERE username = ${username}`);
  return Number(u!.area_id);
}

/** A fresh user (so revoking it touches no other test) and a token for it. */
async function makeUser(role: Role, areaId: number | null, ttlSeconds = 3600) {
  const username = `ws${role}${Date.now().toString(36)}${++n}`;
  const [u] = await rows<{ id: number }>(
    sql`INSERT INTO users (username, password_hash, role, area_id) VALUES (${username}, ${await hashPassword('right-password-123')}, ${role}, ${areaId}) RETURNING id`,
  );
  const user = { id: Number(u!.id), username, role, areaId };
  const { token } = await issueToken(env.SESSION_SECRET, user, ttlSeconds);
  return { ...user, token };
}

async function connect(path: string, token: string, first: string): Promise<TestSocket> {
  const { SELF } = await import('cloudflare:test');
  const res = await SELF.fetch(`http://localhost${path}`, { headers: { Upgrade: 'websocket', authorization: `Bearer ${token}` } });
  if (!res.webSocket) throw new Error(`no upgrade: ${res.status} ${await res.text()}`);
  res.webSocket.accept();
  const ws = new TestSocket(res.webSocket);
  await ws.next((m) => m.type === first);
  return ws;
}

/** The object's alarm is due within the limit, and running it closes the socket with 4001. */
async function sweepCloses(stub: DurableObjectStub, ws: TestSocket): Promise<void> {
  // Let the object's short flush alarm (work lane, a few hundred ms) run first: what is left is the sweep.
  const alarm = () => runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
  const at = await waitFor(alarm, (a) => a === null || a - Date.now() > 1000, 5000);
  expect(at, 'an alarm is scheduled while sockets are open').not.toBeNull();
  expect(at! - Date.now()).toBeLessThanOrEqual(LIMIT_MS);
  await runDurableObjectAlarm(stub);
  expect((await waitFor(async () => ws.closed, (c) => c !== null, 5000))!.code).toBe(4001);
}

const deactivate = (id: number) => api('PATCH', `/api/users/${id}`, { as: 'admin', body: { active: false } });

describe('parent sockets end with their session', () => {
  it('a deactivated user holding an idle socket gets nothing of a scan made after it, and the socket closes', async () => {
    const area = await areaOf('dispatcher');
    const parent = uniqueParent();
    expect((await api('POST', `/api/parents/${parent}/open`, { as: 'dispatcher' })).status).toBe(200);
    const victim = await makeUser('dispatcher', area);
    const idle = await connect(`/api/parents/${parent}/ws`, victim.token, 'state');
    const { tokenFor } = await import('./helpers');
    const scanner = await connect(`/api/parents/${parent}/ws`, await tokenFor('dispatcher'), 'state');

    expect((await deactivate(victim.id)).status).toBe(200);
    const seenBefore = idle.messages.length;
    const child = uniqueChild();
    scanner.send({ type: 'scan', qr: child, scanId: `after-deactivation-${child}` });
    expect((await scanner.next((m) => m.type === 'ack')).result).toBe('linked');
    await scanner.next((m) => m.type === 'linked' && m.childQr === child);
    // The fan-out of that very scan found the session revoked: closed, and the event never sent.
    expect((await waitFor(async () => idle.closed, (c) => c !== null, 5000))!.code).toBe(4001);
    expect(idle.messages.slice(seenBefore)).toEqual([]);
    scanner.close();
  });

  it('closes an idle socket of a signed-out session even when nothing at all happens on the parent', async () => {
    const area = await areaOf('dispatcher');
    const parent = uniqueParent();
    expect((await api('POST', `/api/parents/${parent}/open`, { as: 'dispatcher' })).status).toBe(200);
    const victim = await makeUser('dispatcher', area);
    const ws = await connect(`/api/parents/${parent}/ws`, victim.token, 'state');
    expect((await api('POST', '/api/auth/logout', { headers: { authorization: `Bearer ${victim.token}` } })).status).toBe(204);
    await sweepCloses(env.PARENTS.get(env.PARENTS.idFromName(parent)), ws);
  });

  it('closes an idle socket whose session reached its absolute expiry', async () => {
    const area = await areaOf('dispatcher');
    const parent = uniqueParent();
    expect((await api('POST', `/api/parents/${parent}/open`, { as: 'dispatcher' })).status).toBe(200);
    const victim = await makeUser('dispatcher', area, 2);
    const ws = await connect(`/api/parents/${parent}/ws`, victim.token, 'state');
    await new Promise((r) => setTimeout(r, 2100));
    await sweepCloses(env.PARENTS.get(env.PARENTS.idFromName(parent)), ws);
  });
});

describe('bill sockets end with their session', () => {
  async function billWithWatcher() {
    const billNo = `WS${Date.now().toString(36).toUpperCase()}${++n}`;
    const created = await api('POST', '/api/bills', { as: 'biller', body: { billNo, destination: 'Delhi', vehicleNo: 'UP32 AB 1234', capacity: 5 } });
    expect(created.status).toBe(201);
    const victim = await makeUser('biller', null);
    const ws = await connect(`/api/bills/${created.body.bill.billNo}/ws`, victim.token, 'state');
    return { billNo: created.body.bill.billNo as string, victim, ws };
  }

  it('a deactivated watcher gets nothing of a parent added after it, and the socket closes', async () => {
    const { billNo, victim, ws } = await billWithWatcher();
    const parent = uniqueParent();
    expect((await api('POST', `/api/parents/${parent}/open`, { as: 'dispatcher' })).status).toBe(200);
    expect((await deactivate(victim.id)).status).toBe(200);
    const seenBefore = ws.messages.length;
    const added = await api('POST', `/api/bills/${billNo}/parents`, { as: 'biller', body: { qr: parent } });
    expect(added.body.result).toBe('added');
    expect((await waitFor(async () => ws.closed, (c) => c !== null, 5000))!.code).toBe(4001);
    expect(ws.messages.slice(seenBefore)).toEqual([]);
  });

  it('closes an idle watcher of a signed-out session with nothing happening on the bill', async () => {
    const { billNo, victim, ws } = await billWithWatcher();
    expect((await api('POST', '/api/auth/logout', { headers: { authorization: `Bearer ${victim.token}` } })).status).toBe(204);
    await sweepCloses(env.BILLS.get(env.BILLS.idFromName(billNo)), ws);
  });
});

describe('board sockets end with their session', () => {
  it('a watcher whose role changed gets no summary after it, and the socket closes', async () => {
    const area = await areaOf('dispatcher');
    const victim = await makeUser('supervisor', area);
    const ws = await connect('/api/live/ws', victim.token, 'snapshot');
    const parent = uniqueParent();
    expect((await api('POST', `/api/parents/${parent}/open`, { as: 'dispatcher' })).status).toBe(200);
    await ws.nextSession((m) => m.parentQr === parent);
    expect((await api('PATCH', `/api/users/${victim.id}`, { as: 'admin', body: { role: 'dispatcher' } })).status).toBe(200);
    const seenBefore = ws.messages.length;
    await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: uniqueChild() } });
    expect((await waitFor(async () => ws.closed, (c) => c !== null, 5000))!.code).toBe(4001);
    expect(ws.messages.slice(seenBefore)).toEqual([]);
  });

  it('closes an idle watcher of a deactivated user with no change on the board', async () => {
    const area = await areaOf('dispatcher');
    const victim = await makeUser('supervisor', area);
    const ws = await connect('/api/live/ws', victim.token, 'snapshot');
    expect((await deactivate(victim.id)).status).toBe(200);
    await sweepCloses(env.BOARDS.get(env.BOARDS.idFromName(`area:${area}`)), ws);
  });
});
