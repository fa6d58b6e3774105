// Flush throughput: writes TOTAL links (with their scans) into DATABASE_URL in flushes of BATCH links, each a
// full parent session batch like a ParentSession sends, and prints links/s. Creates its own area and user.
//   DATABASE_URL=… tsx scripts/db/bench-flush.ts [--total 50000] [--batch 1000] [--concurrency 1] [--counter-slots 16]
// Each concurrent worker stands for one flush queue shard: worker k adds to counter slot k % counter-slots, as
// shard k does (db/counter-sql.ts); --counter-slots 1 puts every worker on the same counter rows (the old way).
import { sql } from 'drizzle-orm';
import { closeDb, getDb, queryRows, type Db } from '../../src/db/client';
import { scopedEventId } from '../../src/db/event-ids';
import { COUNTER_SLOTS } from '../../src/db/counter-sql';
import { flushBatch } from '../../src/db/flush';
import type { FlushBatch, LinkEvent, ScanRecord } from '../../src/db/flush-types';
import { isMain, requireDatabaseUrl, runMain } from './cli';

export interface BenchOptions {
  total: number;
  batch: number;
  concurrency: number;
  /** Counter slots the workers spread over (default COUNTER_SLOTS; 1: all on slot 0). */
  counterSlots?: number;
}

export interface BenchResult {
  links: number;
  seconds: number;
  linksPerSecond: number;
  flushMs: { p50: number; p95: number; max: number };
}

export async function ensureActor(db: Db): Promise<{ areaId: number; userId: number }> {
  await db.execute(sql`INSERT INTO areas (name) VALUES ('Bench') ON CONFLICT (name) DO NOTHING`);
  const [area] = await queryRows<{ id: number }>(db, sql`SELECT id FROM areas WHERE name = 'Bench'`);
  await db.execute(sql`INSERT INTO users (username, password_hash, role, area_id)
    VALUES ('bench', 'not-a-login', 'dispatcher', ${area!.id}) ON CONFLICT DO NOTHING`);
  const [user] = await queryRows<{ id: number }>(db, sql`SELECT id FROM users WHERE lower(username) = 'bench'`);
  return { areaId: Number(area!.id), userId: Number(user!.id) };
}

export function makeBatch(run: string, index: number, size: number, areaId: number, userId: number): FlushBatch {
  const parentQr = `SB${String(index % 100_000).padStart(5, '0')}`;
  const now = Date.now();
  const changes: LinkEvent[] = [];
  const scans: ScanRecord[] = [];
  for (let i = 0; i < size; i++) {
    const childQr = `B${run}${index.toString(36).toUpperCase()}X${i.toString(36).toUpperCase()}`.slice(0, 20);
    const at = new Date(now + i).toISOString();
    // Ids as a ParentSession makes them: its scanId scoped by the parent.
    const id = scopedEventId(parentQr, `${run}-${index}-${i}`);
    changes.push({ kind: 'link', eventId: id, childQr, parentQr, areaId, at, userId });
    scans.push({ scanId: id, parentQr, childQr, userId, areaId, result: 'linked', errorCode: null, at });
  }
  return {
    parent: { qr: parentQr, areaId, status: 'open', childCount: size, createdBy: userId, createdAt: new Date(now).toISOString(), completedAt: null, version: Date.now() },
    changes,
    scans,
  };
}

export async function benchFlush(db: Db, options: BenchOptions): Promise<BenchResult> {
  const { areaId, userId } = await ensureActor(db);
  const run = Date.now().toString(36).toUpperCase().slice(-5);
  const batches = Math.ceil(options.total / options.batch);
  const durations: number[] = [];
  let next = 0;
  const started = performance.now();
  const slots = options.counterSlots ?? COUNTER_SLOTS;
  async function worker(k: number): Promise<void> {
    while (next < batches) {
      const index = next++;
      const size = Math.min(options.batch, options.total - index * options.batch);
      const batch = makeBatch(run, index, size, areaId, userId);
      const t = performance.now();
      await flushBatch(db, batch, { counterSlot: k % slots });
      durations.push(performance.now() - t);
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, (_, k) => worker(k)));
  const seconds = (performance.now() - started) / 1000;
  durations.sort((a, b) => a - b);
  const pick = (q: number) => Math.round(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!);
  return {
    links: options.total,
    seconds: Math.round(seconds * 100) / 100,
    linksPerSecond: Math.round(options.total / seconds),
    flushMs: { p50: pick(0.5), p95: pick(0.95), max: pick(1) },
  };
}

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const args = process.argv.slice(2);
    const options = {
      total: arg(args, '--total', 50_000),
      batch: arg(args, '--batch', 1_000),
      concurrency: arg(args, '--concurrency', 1),
      counterSlots: arg(args, '--counter-slots', COUNTER_SLOTS),
    };
    // One connection per worker: with the default single connection the workers' flushes queued one after
    // another on the client and never met in Postgres (concurrency measured nothing).
    const db = getDb({ DATABASE_URL: requireDatabaseUrl(), NEON_HTTP_ENDPOINT: process.env.NEON_HTTP_ENDPOINT }, { maxConnections: options.concurrency });
    try {
      const r = await benchFlush(db, options);
      console.log(`${r.links} links in ${r.seconds} s: ${r.linksPerSecond} links/s (batch ${options.batch}, concurrency ${options.concurrency}, counter slots ${options.counterSlots}; flush p50 ${r.flushMs.p50} ms, p95 ${r.flushMs.p95} ms, max ${r.flushMs.max} ms)`);
    } finally {
      await closeDb(db);
    }
  });
}
