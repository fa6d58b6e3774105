// bench:read — the read side at scale: lookup by QR, a filtered bag-list page, a deep page, the dashboard,
// a bill (its CSV) and a 100k-row CSV export, measured while scanners keep scanning over WebSockets.
// Runs against the Postgres named by DATABASE_URL, loaded by `npm run seed:scale` (or pass --seed to load it).
//   DATABASE_URL=postgres://… npm run bench:read -- [--seed] [--scanners 50] [--concurrency 4] [--requests 400]
//       [--mode closed|paced|both] [--readers 20] [--pause 250] [--only lookup,stats] [--cpu-pids 123,456]
// --cpu-pids: the worker's processes (workerd, with --url): each row then says how much CPU the worker and
// the Postgres backends serving this database spent per request (from /proc, so the same machine only):
// under contention latency says little, CPU per request still compares two builds.
//       [--url http://… (a worker already running on that database)] [--explain] [--json out.json]
// Modes: `closed` = --concurrency clients back to back (as before); `paced` = an office at peak, --readers
// clients each pausing --pause ms between requests (20 × 250 ms ≈ 74 req/s here); `both` runs each scenario
// in both modes in the same run (the default), so the two can be compared fairly.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import WebSocket from 'ws';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import { encodeCursor, pageQuery } from '../../src/db/list';
import { bagListSpec, lookupQuery } from '../../src/worker/read/bags';
import { DEFAULT_SCALE, seedScale } from '../db/seed-scale';
import { startProduct, type Running } from './servers';
import { round, Samples } from './stats';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'boolean', default: false },
    scanners: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '4' },
    requests: { type: 'string', default: '400' },
    url: { type: 'string' },
    mode: { type: 'string', default: 'both' },
    only: { type: 'string' },
    'cpu-pids': { type: 'string' },
    readers: { type: 'string', default: '20' },
    pause: { type: 'string', default: '250' },
    explain: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('Set DATABASE_URL to the Postgres loaded by npm run seed:scale.');
const SCANNERS = Number(args.scanners);
const CONCURRENCY = Number(args.concurrency);
const REQUESTS = Number(args.requests);
const MODE = args.mode as 'closed' | 'paced' | 'both';
if (!['closed', 'paced', 'both'].includes(MODE)) throw new Error('--mode must be closed, paced or both');
const READERS = Number(args.readers);
const PAUSE_MS = Number(args.pause);
const TZ = process.env.TIME_ZONE ?? 'Asia/Kolkata';
const RUN = Date.now().toString(36).toUpperCase().slice(-5);

async function token(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'tracetrack-dev' }),
  });
  if (!res.ok) throw new Error(`token for ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

// ---- the scanning load: N scanners, 1 scan/s each (random phase), new parents above the seeded ones ----
interface ScanLoad {
  stop(): Promise<void>;
  acks: Samples;
  errors: number;
}

async function startScanning(base: string, auth: string, scanners: number): Promise<ScanLoad> {
  const acks = new Samples();
  let errors = 0;
  let stopped = false;
  // Above the seeded SB00000–SB59999, at a random offset so repeated runs rarely meet their own parents.
  let parentSeq = 60_000 + Math.floor(Math.random() * 30_000);
  let childSeq = 0;
  const loops = Array.from({ length: scanners }, async () => {
    await new Promise((r) => setTimeout(r, Math.random() * 1000));
    while (!stopped) {
      const parent = `SB${String(parentSeq++ % 100_000).padStart(5, '0')}`;
      const open = await fetch(`${base}/api/parents/${parent}/open`, { method: 'POST', headers: { authorization: `Bearer ${auth}` } });
      if (!open.ok) {
        errors++;
        continue;
      }
      const ws = new WebSocket(`${base.replace('http', 'ws')}/api/parents/${parent}/ws`, { headers: { authorization: `Bearer ${auth}` } });
      await new Promise<void>((resolve, reject) => {
        ws.once('message', () => resolve());
        ws.once('error', reject);
      }).catch(() => errors++);
      const pending = new Map<string, number>();
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { type: string; scanId?: string; result?: string };
        if (msg.type !== 'ack' || !msg.scanId) return;
        const sent = pending.get(msg.scanId);
        if (sent !== undefined) acks.add(performance.now() - sent);
        pending.delete(msg.scanId);
        if (msg.result === 'rejected') errors++;
      });
      for (let i = 0; i < 30 && !stopped; i++) {
        const scanId = `${RUN}-${childSeq}`;
        const qr = `BR${RUN}${(childSeq++).toString(36).toUpperCase().padStart(6, '0')}`;
        pending.set(scanId, performance.now());
        ws.send(JSON.stringify({ type: 'scan', qr, scanId }));
        await new Promise((r) => setTimeout(r, 1000));
      }
      ws.close();
    }
  });
  return {
    acks,
    get errors() {
      return errors;
    },
    async stop() {
      stopped = true;
      await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 5000))]);
    },
  };
}

// ---- the read measurements ----
interface Scenario {
  name: string;
  budgetP99Ms?: number;
  path: () => string;
  requests?: number;
  concurrency?: number;
  /** Extra request headers (the live board's fresh stats read sends Cache-Control: no-cache). */
  headers?: Record<string, string>;
  /** Read the whole body and count CSV lines. */
  csv?: boolean;
}

/** CPU ms used so far by each of these processes (/proc/<pid>/stat utime + stime, clock ticks of 10 ms). */
function cpuMs(pids: number[]): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // gone (a Postgres backend that ended): its CPU is lost to the count
    }
  }
  return used;
}

/** CPU used since `before` by the processes alive now (one that started meanwhile counts from zero). */
function cpuSince(before: Map<number, number>, now: Map<number, number>): number {
  let ms = 0;
  for (const [pid, used] of now) ms += used - (before.get(pid) ?? 0);
  return ms;
}

const WORKER_PIDS = (args['cpu-pids'] ?? '').split(',').filter(Boolean).map(Number);

/** The Postgres backends connected to the bench's database (the PgReaders' connections), but the bench's own. */
async function backendPids(client: pg.Client): Promise<number[]> {
  const res = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  return res.rows.map((r: { pid: number }) => r.pid);
}

async function measure(base: string, auth: string, s: Scenario, paced: boolean, client: pg.Client) {
  const cpu = WORKER_PIDS.length ? { worker: cpuMs(WORKER_PIDS), pg: cpuMs(await backendPids(client)) } : null;
  const samples = new Samples();
  const requests = s.requests ?? REQUESTS;
  // Paced: many readers who think between requests (an office), not a few clients back to back.
  const concurrency = paced && !s.csv ? READERS : (s.concurrency ?? CONCURRENCY);
  const pauseMs = paced && !s.csv ? PAUSE_MS : 0;
  let next = 0;
  let failures = 0;
  let rows = 0;
  let bytes = 0;
  // Server-Timing stages (a worker started with SERVER_TIMING=true), plus `outside`: the client's round trip
  // minus the Worker's own time (queueing in workerd, the network, this client's event loop).
  const stages = new Map<string, Samples>();
  const stage = (name: string, ms: number) => {
    if (!stages.has(name)) stages.set(name, new Samples());
    stages.get(name)!.add(ms);
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const t = performance.now();
        const res = await fetch(`${base}${s.path()}`, { headers: { authorization: `Bearer ${auth}`, ...s.headers } });
        const body = await res.text();
        const ms = performance.now() - t;
        samples.add(ms);
        const timing = res.headers.get('server-timing');
        if (timing) {
          for (const m of timing.matchAll(/([\w-]+);dur=([\d.]+)/g)) stage(m[1]!, Number(m[2]));
          const app = /app;dur=([\d.]+)/.exec(timing);
          if (app) stage('outside', ms - Number(app[1]));
        }
        if (res.status >= 500 || (res.status !== 200 && res.status !== 404)) failures++;
        if (s.csv) {
          rows += body.split('\r\n').length - 2; // header and the trailing empty line
          bytes += body.length;
        }
        if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs * (0.5 + Math.random())));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  let cpuPerRequest: { workerCpuMs: number; pgCpuMs: number } | undefined;
  if (cpu) {
    const pgNow = cpuMs(await backendPids(client));
    cpuPerRequest = { workerCpuMs: round(cpuSince(cpu.worker, cpuMs(WORKER_PIDS)) / requests, 2), pgCpuMs: round(cpuSince(cpu.pg, pgNow) / requests, 2) };
  }
  return {
    name: s.name,
    mode: paced && !s.csv ? `paced ${concurrency}×${pauseMs}ms` : `closed ${concurrency}`,
    ...samples.summary(),
    perSecond: round(requests / seconds, 1),
    failures,
    ...(s.budgetP99Ms ? { budgetP99Ms: s.budgetP99Ms, withinBudget: samples.percentile(99) <= s.budgetP99Ms } : {}),
    ...(cpuPerRequest ?? {}),
    ...(stages.size ? { stagesP50P99: Object.fromEntries([...stages].map(([k, v]) => [k, `${round(v.percentile(50), 1)}/${round(v.percentile(99), 1)}`])) } : {}),
    ...(s.csv ? { rowsPerRequest: Math.round(rows / requests), mbPerRequest: round(bytes / requests / 1e6, 1), rowsPerSecond: Math.round(rows / seconds) } : {}),
  };
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

async function explain(client: pg.Client, label: string, query: SQL): Promise<string> {
  const { sql: text, params } = new PgDialect().sqlToQuery(query);
  const res = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, params as unknown[]);
  return `-- ${label}\n${res.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}`;
}

async function main(): Promise<void> {
  if (args.seed) {
    console.log('Loading the scale data set…');
    await seedScale(DATABASE_URL!, { ...DEFAULT_SCALE, truncate: true });
  }
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const facts = (
    await client.query(`SELECT (SELECT count(*) FROM bags WHERE type = 'child')::int AS children, (SELECT count(*) FROM bags WHERE type = 'parent')::int AS parents,
      (SELECT count(*) FROM scans)::int AS scans, (SELECT min(bill_no) FROM bills) AS first_bill, (SELECT count(*) FROM bills)::int AS bills,
      (SELECT max(created_at) FROM bags)::text AS newest, (SELECT min(created_at) FROM bags)::text AS oldest, version() AS version`)
  ).rows[0] as { children: number; parents: number; scans: number; bills: number; newest: string; oldest: string; version: string };
  console.log(`Data: ${facts.parents} parents, ${facts.children} child bags, ${facts.scans} scans, ${facts.bills} bills (${facts.version.split(' on ')[0]})`);
  if (facts.children < 1000) throw new Error('Too little data: run npm run seed:scale (or pass --seed).');

  const areas = (await client.query('SELECT id FROM areas ORDER BY id LIMIT 10')).rows.map((r: { id: number }) => r.id);
  const newest = new Date(facts.newest).getTime();
  const oldest = new Date(facts.oldest).getTime();
  // ~100k child bags: the seeded children arrive evenly over the period.
  const span = ((newest - oldest) * 100_000) / facts.children;
  const exportFrom = new Date(oldest + (newest - oldest) / 3);
  const exportTo = new Date(exportFrom.getTime() + span);
  const deepCursor = () => encodeCursor([new Date(oldest + Math.random() * (newest - oldest) * 0.2).toISOString(), 'CB99999999']);
  const childQr = () => `CB${String(Math.floor(Math.random() * facts.children * 0.99)).padStart(8, '0')}`;
  const parentQr = () => `SB${String(Math.floor(Math.random() * facts.parents)).padStart(5, '0')}`;
  const billNos = (await client.query('SELECT bill_no FROM bills ORDER BY random() LIMIT 50')).rows.map((r: { bill_no: string }) => r.bill_no);

  let product: Running | null = null;
  let base = args.url;
  if (!base) {
    console.log('Starting the worker (wrangler dev) on that database…');
    product = await startProduct();
    base = product.url;
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()} ${os.release()}`;
  try {
    const admin = await token(base, 'admin');
    const dispatcher = await token(base, 'dispatcher');
    console.log(`Scanning load: ${SCANNERS} scanners at 1 scan/s…`);
    const load = await startScanning(base, dispatcher, SCANNERS);
    await new Promise((r) => setTimeout(r, 10_000)); // warm-up
    // Warm the worker's code paths and Postgres' caches once (not measured).
    for (const p of ['/api/stats', `/api/bags/${childQr()}`, `/api/bags?type=child&areaId=${areas[0]}&limit=50`]) await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${admin}` } });

    const scenarios: Scenario[] = [
      { name: 'lookup child by QR', budgetP99Ms: 20, path: () => `/api/bags/${childQr()}` },
      { name: 'lookup parent by QR (30 children, history)', budgetP99Ms: 20, path: () => `/api/bags/${parentQr()}` },
      { name: 'lookup miss → suggestions', path: () => `/api/bags/${parentQr().replace('SB', 'S8')}`, requests: Math.ceil(REQUESTS / 4) },
      { name: 'bag list page (type+area+linked, 50)', budgetP99Ms: 50, path: () => `/api/bags?type=child&areaId=${pick(areas)}&linked=true&limit=50` },
      { name: 'bag list page (billed=false parents, 50)', budgetP99Ms: 50, path: () => `/api/bags?billed=false&limit=50` },
      { name: 'scan list page (area, 50)', budgetP99Ms: 50, path: () => `/api/scans?areaId=${pick(areas)}&limit=50` },
      { name: 'deep bag page (cursor ~50 days back, 50)', budgetP99Ms: 50, path: () => `/api/bags?limit=50&cursor=${deepCursor()}` },
      { name: 'stats (dashboard)', budgetP99Ms: 10, path: () => '/api/stats' },
      // What the live board sends after a push: read now, past the dashboard's one-second snapshot.
      { name: 'stats fresh (board after a push)', path: () => '/api/stats', headers: { 'cache-control': 'no-cache' } },
      { name: 'stats hourly', budgetP99Ms: 10, path: () => '/api/stats/hourly' },
      { name: 'bill CSV (whole bill, ~1,200 rows)', path: () => `/api/export/bills/${pick(billNos)}.csv`, csv: true, requests: 100 },
      {
        name: '100k-row CSV export (bags.csv)',
        path: () => `/api/export/bags.csv?type=child&from=${encodeURIComponent(exportFrom.toISOString())}&to=${encodeURIComponent(exportTo.toISOString())}`,
        csv: true,
        requests: 3,
        concurrency: 1,
      },
    ];
    const results = [];
    // --only lookup,stats: scenarios whose name contains one of the words (quick profiling runs).
    const only = args.only?.split(',').map((w) => w.trim()).filter(Boolean);
    for (const s of scenarios.filter((x) => !only || only.some((w) => x.name.includes(w)))) {
      // CSV exports are measured once (closed); every other scenario in each mode asked for.
      const modes = s.csv ? [false] : MODE === 'both' ? [false, true] : [MODE === 'paced'];
      for (const paced of modes) {
        const r = await measure(base, admin, s, paced, client);
        results.push(r);
        console.log(JSON.stringify(r));
      }
    }
    await load.stop();
    const scan = { scanners: SCANNERS, acks: load.acks.summary(), errors: load.errors };
    console.log(`Scanning during the run: ${JSON.stringify(scan)}`);

    const plans: string[] = [];
    if (args.explain) {
      const area = areas[0]!;
      plans.push(await explain(client, 'lookup (child)', lookupQuery(childQr())));
      plans.push(await explain(client, 'lookup (parent)', lookupQuery(parentQr())));
      plans.push(await explain(client, 'bag list page type=child&areaId&linked=true', pageQuery(bagListSpec({ type: 'child', areaId: area, linked: true }, TZ), null, 51)));
      plans.push(await explain(client, 'bag list page billed=false', pageQuery(bagListSpec({ billed: false }, TZ), null, 51)));
      const deep = new Date(oldest + (newest - oldest) * 0.1).toISOString();
      plans.push(await explain(client, 'deep bag page (cursor)', pageQuery(bagListSpec({}, TZ), [deep, 'CB99999999'] as const, 51)));
      for (const p of plans) console.log(`\n${p}`);
    }
    const out = { date: new Date().toISOString(), machine, data: facts, concurrency: CONCURRENCY, results, scan, plans };
    if (args.json) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(args.json, JSON.stringify(out, null, 2));
    }
    console.log(`\n${machine}`);
    console.table(
      results.map((r) => ({
        what: r.name, mode: r.mode, p50: r.p50, p95: r.p95, p99: r.p99, 'req/s': r.perSecond, budget: r.budgetP99Ms ?? '', ok: 'withinBudget' in r ? r.withinBudget : '', fail: r.failures,
        ...('workerCpuMs' in r ? { 'worker cpu ms/req': r.workerCpuMs, 'pg cpu ms/req': r.pgCpuMs } : {}),
      })),
    );
    const timed = results.filter((r) => 'stagesP50P99' in r);
    if (timed.length) {
      console.log('Server-Timing stages, ms p50/p99 (SERVER_TIMING=true on the worker):');
      console.table(timed.map((r) => ({ what: r.name, mode: r.mode, ...r.stagesP50P99 })));
    }
  } finally {
    await client.end();
    await product?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
