import { abortAllDurableObjects, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { count, sql, waitFor } from './db';
import { api, uniqueChild, uniqueParent } from './helpers';
import { boardMessageSchema } from '../../src/shared/protocol';
import { newArea } from './read-fixtures';
import { TestSocket } from './ws-client';

async function openParent(as = 'dispatcher') {
  const qr = uniqueParent();
  expect((await api('POST', `/api/parents/${qr}/open`, { as })).status).toBe(200);
  return qr;
}

describe('parent WebSocket', () => {
  it('sends the state first, acks scans and fans events out to every socket of the parent', async () => {
    const parent = await openParent();
    const scanner = await TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher');
    const watcher = await TestSocket.connect(`/api/parents/${parent}/ws`, 'supervisor');
    const state = await scanner.next((m) => m.type === 'state');
    expect(state.parent).toMatchObject({ qr: parent, childCount: 0 });
    await watcher.next((m) => m.type === 'state');

    const child = uniqueChild();
    scanner.send({ type: 'scan', qr: child.toLowerCase(), scanId: 's1' });
    const ack = await scanner.next((m) => m.type === 'ack');
    expect(ack).toMatchObject({ type: 'ack', scanId: 's1', result: 'linked', childQr: child, childCount: 1, capacity: 30, status: 'open' });
    expect(typeof ack.serverMs).toBe('number');
    const event = await watcher.next((m) => m.type === 'linked');
    expect(event).toMatchObject({ parentQr: parent, childQr: child, childCount: 1, by: 'dispatcher' });

    scanner.send({ type: 'scan', qr: child, scanId: 's2' });
    expect(await scanner.next((m) => m.type === 'ack')).toMatchObject({ scanId: 's2', result: 'duplicate', childCount: 1 });
    scanner.send({ type: 'scan', qr: 'SB00001', scanId: 's3' });
    const rejected = await scanner.next((m) => m.type === 'ack');
    expect(rejected).toMatchObject({ scanId: 's3', result: 'rejected', error: { code: 'QR_ROLE_CONFLICT' } });

    scanner.send({ type: 'undo', scanId: 'u1' });
    expect(await scanner.next((m) => m.type === 'undone')).toMatchObject({ removed: child, childCount: 0 });
    expect(await watcher.next((m) => m.type === 'unlinked')).toMatchObject({ childQr: child, childCount: 0 });
    scanner.close();
    watcher.close();
  });

  it('answers malformed messages with an error and keeps the socket open', async () => {
    const parent = await openParent();
    const ws = await TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher');
    await ws.next((m) => m.type === 'state');
    for (const bad of ['not json', '{"type":"scan"}', '{"type":"scan","qr":5,"scanId":"a"}', '{"type":"launch"}', 'x'.repeat(5000)]) {
      ws.send(bad);
      const err = await ws.next((m) => m.type === 'error');
      expect(['INVALID_INPUT', 'PAYLOAD_TOO_LARGE']).toContain(err.error.code);
    }
    // The limit is 4,096 bytes as sent (UTF-8): 1,500 "€" are 1,500 characters but 4,500 bytes.
    ws.send(JSON.stringify({ type: 'scan', qr: '€'.repeat(1500), scanId: 'multibyte' }));
    expect((await ws.next((m) => m.type === 'error')).error.code).toBe('PAYLOAD_TOO_LARGE');
    ws.send({ type: 'scan', qr: uniqueChild(), scanId: 'after-errors' });
    expect((await ws.next((m) => m.type === 'ack')).result).toBe('linked');
    ws.close();
  });

  it('answers a close without a status code, so the client is not left waiting', async () => {
    const parent = await openParent();
    const ws = await TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher');
    await ws.next((m) => m.type === 'state');
    ws.ws.close();
    await waitFor(async () => ws.closed, (c) => c !== null, 3000);
  });

  it('refuses the upgrade for unknown parents, other areas (as unknown) and anonymous callers', async () => {
    await expect(TestSocket.connect(`/api/parents/${uniqueParent()}/ws`, 'dispatcher')).rejects.toThrow(/404/);
    const parent = await openParent();
    // Another area's parent reads like one never opened (docs/SECURITY.md, the area rule).
    await expect(TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher2')).rejects.toThrow(/404 .*Parent was never opened/);
  });

  it('reloads state from storage after the object restarts; clients reconnect and resync', async () => {
    const parent = await openParent();
    const ws = await TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher');
    await ws.next((m) => m.type === 'state');
    const children = [uniqueChild(), uniqueChild(), uniqueChild()];
    for (const [i, qr] of children.entries()) {
      ws.send({ type: 'scan', qr, scanId: `r${i}` });
      expect((await ws.next((m) => m.type === 'ack')).result).toBe('linked');
    }
    // Restart once the object is quiet (its rows flushed): aborting mid-RPC can wedge the test runner.
    await waitFor(() => count(sql`SELECT count(*) AS n FROM links WHERE parent_qr = ${parent}`), (n) => n === 3);
    await new Promise((r) => setTimeout(r, 300));
    await abortAllDurableObjects();
    const again = await TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher');
    const state = await again.next((m) => m.type === 'state');
    expect(state.parent.children.map((c: { qr: string }) => c.qr)).toEqual(children);
    // The idempotency record survived too: a replayed scanId returns the first answer.
    again.send({ type: 'scan', qr: children[0], scanId: 'r0' });
    expect(await again.next((m) => m.type === 'ack')).toMatchObject({ result: 'linked', childCount: 1 });
    // The registry kept its claims: the children cannot go into another parent.
    const other = await openParent();
    const res = await api('POST', `/api/parents/${other}/children`, { as: 'dispatcher', body: { qr: children[1] } });
    expect(res.body.error).toMatchObject({ code: 'CHILD_IN_OTHER_PARENT', parentQr: parent });
    again.close();
  });
});

describe('live board', () => {
  it('gives supervisors a snapshot and then every change of their area', async () => {
    const parent = await openParent();
    const board = await TestSocket.connect('/api/live/ws', 'supervisor');
    const snapshot = await board.next((m) => m.type === 'snapshot');
    expect(snapshot.sessions.some((s: { parentQr: string }) => s.parentQr === parent)).toBe(true);
    const child = uniqueChild();
    await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: child } });
    const update = await board.nextSession((m) => m.parentQr === parent && m.childCount === 1);
    expect(update).toMatchObject({ status: 'open', capacity: 30, by: 'dispatcher' });
    const sessions = await api('GET', '/api/live/sessions', { as: 'supervisor' });
    expect(sessions.body.sessions.find((s: { parentQr: string }) => s.parentQr === parent).childCount).toBe(1);
    board.close();
  });

  it('sends a single change on a quiet board at once, and changes inside its 100 ms window as one batch with the newest values', async () => {
    const area = await newArea();
    const board = await TestSocket.connect(`/api/live/ws?areaId=${area}`, 'admin');
    await board.next((m) => m.type === 'snapshot');
    const live = env.BOARDS.get(env.BOARDS.idFromName(`area:${area}`));
    const summary = (parentQr: string, childCount: number) => ({ parentQr, areaId: area, childCount, capacity: 30, status: 'open' as const, lastScanAt: new Date().toISOString(), by: 'dispatcher' });
    const [a, b, c] = [uniqueParent(), uniqueParent(), uniqueParent()];
    // Quiet board: one update is one `session` frame, straight away.
    const sentAt = Date.now();
    await live.update(summary(a, 1));
    const single = await board.next((m) => m.type === 'session' || m.type === 'sessions');
    expect(boardMessageSchema.parse(single)).toMatchObject({ type: 'session', parentQr: a, childCount: 1 });
    expect(Date.now() - sentAt).toBeLessThan(1000);
    // Several updates right after it (inside the window): held until the window ends, then one `sessions` frame
    // with each parent once, at its newest summary.
    const burstFrom = Date.now();
    await Promise.all([live.update(summary(b, 1)), live.update(summary(a, 2)), live.update(summary(c, 1))]);
    await live.update(summary(b, 2));
    await live.update(summary(a, 3));
    const burstMs = Date.now() - burstFrom;
    const want = { [a]: 3, [b]: 2, [c]: 1 };
    const newest: Record<string, number> = {};
    const frames: any[] = [];
    while (Object.keys(want).some((qr) => newest[qr] !== want[qr])) {
      const frame = boardMessageSchema.parse(await board.next((m) => m.type === 'sessions' || m.type === 'session'));
      frames.push(frame);
      for (const s of frame.type === 'sessions' ? frame.sessions : frame.type === 'session' ? [frame] : []) newest[s.parentQr] = s.childCount;
    }
    // The burst took a few ms: inside the window, so exactly one batch (a machine too slow for that may see more).
    if (burstMs < 60) expect(frames.map((f) => f.type)).toEqual(['sessions']);
    // Nothing else was sent for them, and the snapshot already had the newest values.
    await new Promise((r) => setTimeout(r, 250));
    expect(board.messages.filter((m) => m.type === 'session' || m.type === 'sessions')).toEqual([]);
    const snap = (await live.snapshot()).filter((s) => [a, b, c].includes(s.parentQr));
    expect(Object.fromEntries(snap.map((s) => [s.parentQr, s.childCount]))).toEqual(want);
    board.close();
  });

  it("sends a parent's board updates at most once per 100 ms, the last one with the final count", async () => {
    const area = await newArea();
    const board = await TestSocket.connect(`/api/live/ws?areaId=${area}`, 'admin');
    await board.next((m) => m.type === 'snapshot');
    const parent = uniqueParent();
    expect((await api('POST', `/api/parents/${parent}/open`, { as: 'admin', body: { areaId: area } })).status).toBe(200);
    await board.nextSession((m) => m.parentQr === parent && m.childCount === 0);
    const scanner = await TestSocket.connect(`/api/parents/${parent}/ws`, 'admin');
    await scanner.next((m) => m.type === 'state');
    const started = Date.now();
    for (let i = 0; i < 8; i++) scanner.send({ type: 'scan', qr: uniqueChild(), scanId: `burst-${i}` });
    for (let i = 0; i < 8; i++) expect((await scanner.next((m) => m.type === 'ack' && m.scanId === `burst-${i}`)).result).toBe('linked');
    const acked = Date.now() - started;
    const last = await board.nextSession((m) => m.parentQr === parent && m.childCount === 8);
    expect(last).toMatchObject({ status: 'open', childCount: 8 });
    // Every summary of this parent the board relayed, the last one included: one per 100 ms of the burst at most.
    await new Promise((r) => setTimeout(r, 250));
    const relayed = board.messages.flatMap((m) => (m.type === 'session' ? [m] : m.type === 'sessions' ? m.sessions : [])).filter((s: { parentQr: string }) => s.parentQr === parent);
    expect(relayed.length + 1).toBeLessThanOrEqual(Math.ceil(acked / 100) + 2);
    expect(relayed.every((s: { childCount: number }) => s.childCount <= 8)).toBe(true);
    scanner.close();
    board.close();
  });

  it("keeps supervisors to their area and dispatchers out", async () => {
    expect((await api('GET', '/api/live/sessions?areaId=2', { as: 'supervisor' })).body.error.code).toBe('AREA_FORBIDDEN');
    expect((await api('GET', '/api/live/sessions', { as: 'dispatcher' })).status).toBe(403);
    expect((await api('GET', '/api/live/sessions?areaId=abc', { as: 'admin' })).status).toBe(400);
    expect((await api('GET', '/api/live/sessions?areaId=2', { as: 'admin' })).status).toBe(200);
  });
});
