// Issue 10 point 4: limits that keep one account from exhausting shared things — empty open parents per
// user, stored scanId answers (age, count, never for malformed input), messages per socket, sockets per object.
import { abortAllDurableObjects, env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ScanAnswers } from '../../src/durable/kit/scan-answers';
import { ok } from '../../src/durable/rpc';
import { issueToken } from '../../src/worker/auth/token';
import { rows, sql, waitFor } from './db';
import { api, uniqueChild, uniqueParent } from './helpers';
import { TestSocket } from './ws-client';

const parentStub = (qr: string) => env.PARENTS.get(env.PARENTS.idFromName(qr));

async function openParent(as = 'dispatcher'): Promise<string> {
  const qr = uniqueParent();
  expect((await api('POST', `/api/parents/${qr}/open`, { as })).status).toBe(200);
  return qr;
}

describe('empty open parents per user', () => {
  /** A fresh dispatcher (so no other test's parents count) and its bearer header. */
  async function capUser() {
    const [area] = await rows<{ area_id: number }>(sql`SELECT area_id FROM users WHERE username = 'dispatcher'`);
    const username = `cap${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const [u] = await rows<{ id: number }>(
      sql`INSERT INTO users (username, password_hash, role, area_id) VALUES (${username}, 'x', 'dispatcher', ${area!.area_id}) RETURNING id`,
    );
    const user = { id: Number(u!.id), username, role: 'dispatcher' as const, areaId: Number(area!.area_id) };
    const auth = { authorization: `Bearer ${(await issueToken(env.SESSION_SECRET, user, 3600)).token}` };
    /** `n` empty open parents of this user already in Postgres (from before: an import, an earlier deployment). */
    const seed = (n: number) =>
      rows(sql`
        INSERT INTO bags (qr, type, area_id, status, child_count, created_by, created_at, updated_at)
        SELECT upper('CAP' || ${username} || '-' || i), 'parent', ${area!.area_id}, 'open', 0, ${user.id}, now(), now()
        FROM generate_series(1, ${n}) AS i`);
    const fill = (i: number) => rows(sql`UPDATE bags SET child_count = 1 WHERE qr = ${`CAP${username}-${i}`.toUpperCase()}`);
    return { user, auth, seed, fill };
  }

  it('refuses a new label past EMPTY_PARENTS_PER_USER (200) with a 409 that says so; existing parents still open', async () => {
    const { auth, seed, fill } = await capUser();
    // 199 empty open parents in Postgres when the user's ledger starts, plus one opened now: 200.
    await seed(199);
    const mine = uniqueParent();
    expect((await api('POST', `/api/parents/${mine}/open`, { headers: auth })).status).toBe(200);

    const refused = await api('POST', `/api/parents/${uniqueParent()}/open`, { headers: auth });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'TOO_MANY_EMPTY_PARENTS', limit: 200 });
    expect(refused.body.error.message).toMatch(/200 open parent bags with no child/);
    // Opening a parent that exists creates nothing: allowed at the cap.
    expect((await api('POST', `/api/parents/${mine}/open`, { headers: auth })).status).toBe(200);
    // Other users are not affected.
    expect((await api('POST', `/api/parents/${uniqueParent()}/open`, { as: 'dispatcher' })).status).toBe(200);
    // A parent that got a child no longer counts (the ledger checks Postgres before it refuses): one new
    // label may be opened again.
    await fill(1);
    expect((await api('POST', `/api/parents/${uniqueParent()}/open`, { headers: auth })).status).toBe(200);
  });

  it('stops counting a parent at its first child, before Postgres has it (a busy floor on one account never meets the cap)', async () => {
    const { auth, seed } = await capUser();
    await seed(199);
    const mine = uniqueParent();
    expect((await api('POST', `/api/parents/${mine}/open`, { headers: auth })).status).toBe(200);
    expect((await api('POST', `/api/parents/${uniqueParent()}/open`, { headers: auth })).status).toBe(409);
    // Its first child: the parent tells the ledger (after the ack), so one new label fits again at once,
    // although the label was opened moments ago (which alone would keep it counted for ten minutes).
    expect((await api('POST', `/api/parents/${mine}/children`, { headers: auth, body: { qr: uniqueChild() } })).body.result).toBe('linked');
    const next = await waitFor(() => api('POST', `/api/parents/${uniqueParent()}/open`, { headers: auth }), (r) => r.status === 200, 5000);
    expect(next.status).toBe(200);
  });

  it('counts opens before they reach Postgres: parallel opens by one user cannot pass the cap together', async () => {
    const { auth, seed } = await capUser();
    await seed(196);
    expect((await api('POST', `/api/parents/${uniqueParent()}/open`, { headers: auth })).status).toBe(200);
    // Three free places: five new labels at once (none flushed yet, so a count in Postgres would let all in).
    const answers = await Promise.all(Array.from({ length: 5 }, () => api('POST', `/api/parents/${uniqueParent()}/open`, { headers: auth })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'TOO_MANY_EMPTY_PARENTS')).toBe(true);
  });
});

describe('stored scanId answers', () => {
  it('does not store answers to malformed input, and forgets answers older than 24 h', async () => {
    const parent = await openParent();
    const stored = () =>
      runInDurableObject(parentStub(parent), (_i, state) =>
        state.storage.sql.exec<{ scan_id: string }>('SELECT scan_id FROM responses ORDER BY scan_id').toArray().map((r) => r.scan_id),
      );
    const child = uniqueChild();
    expect((await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: child, scanId: 'kept' } })).body.result).toBe('linked');
    const bad = await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: 'NOT-A-LABEL!', scanId: 'junk' } });
    expect(bad.body.error.code).toBe('INVALID_QR');
    expect(await stored()).toEqual(['kept']);

    // A day and a bit later (the stored time moved back), the object restarts: the answer is gone, so the
    // same scanId is a new command (the child is already in: duplicate) rather than the stored `linked`.
    await runInDurableObject(parentStub(parent), (_i, state) => state.storage.sql.exec('UPDATE responses SET at = at - ?', 25 * 3600_000));
    await waitFor(() => rows(sql`SELECT 1 FROM links WHERE child_qr = ${child}`), (r) => r.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    await abortAllDurableObjects();
    expect(await stored()).toEqual([]);
    expect((await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: child, scanId: 'kept' } })).body.result).toBe('duplicate');
  });

  it('keeps at most SCAN_ANSWERS_KEPT answers, dropping the oldest, in storage and in memory', async () => {
    const parent = await openParent();
    await runInDurableObject(parentStub(parent), async (_i, state) => {
      const answers = new ScanAnswers(state.storage.sql, () => ({ keepMs: 24 * 3600_000, maxKept: 10 }));
      answers.load();
      const base = Date.now() - 1000;
      for (let i = 0; i < 30; i++) answers.remember(`k${String(i).padStart(2, '0')}`, ok(i), base + i);
      answers.prune(base + 30);
      const ids = state.storage.sql.exec<{ scan_id: string }>('SELECT scan_id FROM responses ORDER BY at').toArray().map((r) => r.scan_id);
      expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `k${20 + i}`));
      expect(answers.size).toBe(10);
      // A forgotten key runs again; a kept one answers from memory.
      let ran = 0;
      await answers.once('k05', async () => (ran++, ok('again')));
      await answers.once('k25', async () => (ran++, ok('again')));
      expect(ran).toBe(1);
    });
  });
});

describe('per-socket message rate and sockets per object', () => {
  it('answers messages past the burst with RATE_LIMITED error frames, then closes a socket that keeps on (4008)', async () => {
    const parent = await openParent();
    const ws = await TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher');
    await ws.next((m) => m.type === 'state');
    // Far over the rate (50 a second, bursts of 200): the first 200 pass, then error frames, then the close.
    for (let i = 0; i < 1500; i++) ws.send({ type: 'resync' });
    const limited = await ws.next((m) => m.type === 'error' && m.error.code === 'RATE_LIMITED');
    expect(limited.error.message).toMatch(/Too many messages on this socket \(at most 50 a second\)/);
    expect(typeof limited.error.retryAfterMs).toBe('number');
    const closed = await waitFor(async () => ws.closed, (c) => c !== null, 10_000);
    expect(closed).toMatchObject({ code: 4008, reason: 'too many messages' });
    // A new socket works at once: the limit is per socket.
    const again = await TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher');
    await again.next((m) => m.type === 'state');
    again.send({ type: 'scan', qr: uniqueChild(), scanId: 'after-limit' });
    expect((await again.next((m) => m.type === 'ack')).result).toBe('linked');
    again.close();
  });

  it('refuses the socket past SOCKETS_PER_OBJECT (200) with an error frame and close 4009', async () => {
    const parent = await openParent();
    const sockets: TestSocket[] = [];
    for (let i = 0; i < 200; i++) sockets.push(await TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher'));
    await sockets[199]!.next((m) => m.type === 'state');
    const extra = await TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher');
    const frame = await extra.next((m) => m.type === 'error');
    expect(frame.error).toMatchObject({ code: 'TOO_MANY_SOCKETS', limit: 200 });
    expect(await waitFor(async () => extra.closed, (c) => c !== null, 5000)).toMatchObject({ code: 4009, reason: 'too many connections' });
    expect(extra.messages.some((m) => m.type === 'state')).toBe(false);
    // One leaves: the next one gets in.
    sockets.pop()!.close();
    await waitFor(
      async () => {
        const s = await TestSocket.connect(`/api/parents/${parent}/ws`, 'dispatcher');
        const first = await s.next(() => true);
        if (first.type === 'state') sockets.push(s);
        return first.type;
      },
      (t) => t === 'state',
      5000,
    );
    for (const s of sockets) s.close();
  });
});
