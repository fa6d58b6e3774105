// Changing FLUSH_SHARDS (issue 15 point 4). vitest.workers.config.ts runs as if FLUSH_SHARDS had just been raised
// from 4 to 8: FLUSH_SHARDS_PREVIOUS=4. Rows queued under the old count wait in `flush:i/4`, newer rows of the
// same children go to `flush:j/8`; the old shards are watched until empty, the new ones hold their batches
// until then, and Postgres ends with every event once and each child's newest state.
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { scopedEventId } from '../../src/db/event-ids';
import { PREVIOUS_RECHECK_MS } from '../../src/durable/flush/flush-queue';
import type { LinkChange, ScanRecord } from '../../src/db/flush-types';
import { fnv1a } from '../../src/durable/registry/shard';
import { count, rows, setDatabase, sql, waitFor } from './db';
import { api, uniqueChild, uniqueParent } from './helpers';

const OLD = 4;
const NEW = 8;
const queue = (child: string, shards: number) => env.FLUSH_QUEUE.get(env.FLUSH_QUEUE.idFromName(`flush:${fnv1a(child) % shards}/${shards}`));

async function openParent(): Promise<string> {
  const qr = uniqueParent();
  expect((await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' })).status).toBe(200);
  await waitFor(() => count(sql`SELECT count(*) AS n FROM bags WHERE qr = ${qr}`), (n) => n === 1);
  return qr;
}

afterEach(async () => {
  await setDatabase(true);
});

describe('changing FLUSH_SHARDS', () => {
  it('rows queued under the previous count are watched, drain first, and the newest state wins, each event once', async () => {
    const [a, b] = [await openParent(), await openParent()];
    const [{ id: userId }] = (await rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'dispatcher'`)) as [{ id: number }];
    const [{ area_id: areaId }] = (await rows<{ area_id: number }>(sql`SELECT area_id FROM bags WHERE qr = ${a}`)) as [{ area_id: number }];
    const t0 = Date.now();
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const linkTo = (parentQr: string, child: string, key: string, s: number): LinkChange => ({ kind: 'link', eventId: scopedEventId(parentQr, key), childQr: child, parentQr, areaId, at: at(s), userId });
    const unlinkFrom = (parentQr: string, child: string, key: string, s: number): LinkChange => ({ kind: 'unlink', eventId: scopedEventId(parentQr, key), childQr: child, parentQr, at: at(s), userId, reason: 'undo' });
    const scanOf = (parentQr: string, child: string, key: string, s: number): ScanRecord => ({ scanId: scopedEventId(parentQr, key), parentQr, childQr: child, userId, areaId, result: 'linked', errorCode: null, at: at(s) });
    const rowsOf = (changes: LinkChange[], scans: ScanRecord[] = []) => [
      ...changes.map((c) => ({ kind: 'change' as const, body: JSON.stringify(c) })),
      ...scans.map((s) => ({ kind: 'scan' as const, body: JSON.stringify(s) })),
    ];

    // Children: 0–2 linked under the old count and undone under the new one, 3 moved from a to b (unlink and
    // link under the new count), 4–5 only linked (old count).
    const kids = Array.from({ length: 6 }, () => uniqueChild('FS'));
    await setDatabase(false); // hold every flush while the rows are queued
    for (const c of kids) {
      await queue(c, OLD).enqueue(rowsOf([linkTo(a, c, `l-${c}`, 1)], [scanOf(a, c, `l-${c}`, 1)]));
    }
    for (const c of kids.slice(0, 3)) await queue(c, NEW).enqueue(rowsOf([unlinkFrom(a, c, `u-${c}`, 2)]));
    await queue(kids[3]!, NEW).enqueue(rowsOf([unlinkFrom(a, kids[3]!, `u-${kids[3]}`, 2), linkTo(b, kids[3]!, `l-${kids[3]}`, 3)], [scanOf(b, kids[3]!, `l-${kids[3]}`, 3)]));

    // /health/detailed counts the old shards' rows too, and says which shards are draining.
    const health = await waitFor(() => api('GET', '/health/detailed', { as: 'admin' }), (r) => r.body.flushBacklog >= 12 + 6);
    expect(health.body.status).toBe('degraded');
    const draining = (health.body.flushShards as Array<{ shardCount: number; draining: boolean; backlog: number }>).filter((s) => s.draining);
    expect(draining).toHaveLength(OLD);
    expect(draining.every((s) => s.shardCount === OLD)).toBe(true);
    expect(draining.reduce((n, s) => n + s.backlog, 0)).toBeGreaterThanOrEqual(12);

    // A queue that saw the old shards empty (earlier tests) trusts that for PREVIOUS_RECHECK_MS: wait it out.
    await new Promise((r) => setTimeout(r, PREVIOUS_RECHECK_MS + 200));
    await setDatabase(true);
    // A new-count shard first: while an old shard still holds rows, its batch waits.
    const first = queue(kids[0]!, NEW);
    await runDurableObjectAlarm(first);
    const oldWaiting = (await Promise.all(Array.from({ length: OLD }, (_, i) => env.FLUSH_QUEUE.get(env.FLUSH_QUEUE.idFromName(`flush:${i}/${OLD}`)).status()))).reduce((n, s) => n + s.backlog, 0);
    if (oldWaiting > 0) {
      expect(await count(sql`SELECT count(*) AS n FROM link_events WHERE event_id = ${scopedEventId(a, `u-${kids[0]}`)}`)).toBe(0);
      expect((await first.status()).backlog).toBeGreaterThan(0);
    }

    // Everything drains (the alarms run by themselves too; running them here only makes it quicker).
    const all = [...kids.map((c) => queue(c, OLD)), ...kids.map((c) => queue(c, NEW))];
    await waitFor(
      async () => {
        for (const q of all) await runDurableObjectAlarm(q);
        return (await api('GET', '/health/detailed', { as: 'admin' })).body.flushBacklog as number;
      },
      (n) => n === 0,
      20_000,
    );

    const links = await rows<{ child_qr: string; parent_qr: string }>(sql`SELECT child_qr, parent_qr FROM links WHERE child_qr IN ${kids} ORDER BY child_qr`);
    expect(Object.fromEntries(links.map((l) => [l.child_qr, l.parent_qr]))).toEqual({ [kids[3]!]: b, [kids[4]!]: a, [kids[5]!]: a });
    const status = await rows<{ qr: string; status: string }>(sql`SELECT qr, status FROM bags WHERE qr IN ${kids} ORDER BY qr`);
    expect(Object.fromEntries(status.map((s) => [s.qr, s.status]))).toEqual(Object.fromEntries(kids.map((c, i) => [c, i < 3 ? 'unlinked' : 'linked'])));
    // Exactly once: 6 links + 3 undos + the move's unlink and link; 7 scans; no conflict left open.
    expect(await count(sql`SELECT count(*) AS n FROM link_events WHERE child_qr IN ${kids}`)).toBe(11);
    expect(await count(sql`SELECT count(*) AS n FROM scans WHERE child_qr IN ${kids}`)).toBe(7);
    expect(await count(sql`SELECT count(*) AS n FROM flush_conflicts WHERE child_qr IN ${kids} AND resolved_at IS NULL`)).toBe(0);
  });
});
