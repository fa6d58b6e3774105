// bench:capacity — the capacity model of issue 15, measured. Three parts:
//
// 1. Cost per operation. Locally workerd runs every object in one process, so CPU cannot be split by object from
//    outside; instead each kind is driven in isolation: the product is started with a bench-only Worker entry
//    (scripts/bench/capacity/entry.ts, through WRANGLER_MAIN) whose /api/__capacity route (under /api/ so the Worker
//    runs before the static assets) performs a batch of operations of one kind: a registry claim of a new child
//    (QrRegistry.claimChild), an area board update (LiveBoard.update), a flush enqueue of one child's link change
//    and scan row (FlushQueue.enqueue; its alarm then writes them to Postgres), a scan in an open parent
//    (ParentSession.scan: the whole scan path, its claim, board push and flush included), or nothing (`noop`, the
//    Worker request alone). Each kind runs paced, --rate operations/s in requests of --batch operations, for
//    --duration s. CPU per operation: workerd's CPU seconds (/proc, cpu.ts) from the first request until the kind's
//    background work is done (its rows in Postgres, or 1.5 s), minus the noop run's per request, divided by the
//    operations. Wall time: each operation as timed inside workerd (no HTTP hop). "Scan in a parent" is the scan
//    path's CPU minus one claim, one board update and three flushed rows (link change, scan, snapshot). Per Postgres
//    statement: flushBatch from this process (the FlushQueue's statements, batches of one shard's rows at the load
//    model) against the product's PGlite: the PGlite process's CPU and the wall time per statement (BEGIN and
//    COMMIT counted). Every figure includes what a loaded two-core machine adds: print the load average with it.
// 2. The model (capacity-model.ts) for 100, 1,000 and 10,000 scanners at 1 scan/s over the default areas, with the
//    shard counts and delays read from src/config/settings.ts (the values src/durable/stubs.ts uses; env overrides
//    such as FLUSH_SHARDS=16 apply as they do for npm start), and the measured costs.
// 3. --check: the model's claim that figures do not degrade with the number of objects: bench:scan (paced, product
//    only) with 100 scanners at 1 scan/s and then 1,000 at 0.1 scan/s over 50 areas, both 100 scans/s, one table.
//
//   npm run bench:capacity -- [--rate 100] [--batch 10] [--duration 10] [--kinds noop,claim,board,flush,scan] [--no-measure]
//                             [--check] [--check-duration 30] [--json out.json]
// BENCH_PORT_BASE=16200 keeps every server this starts (and bench:scan's) in 16200-16299.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { settings } from '../../src/config/settings';
import { closeDb, getDb } from '../../src/db/client';
import { buildFlushStatements, flushBatch } from '../../src/db/flush';
import { scopedEventId } from '../../src/db/event-ids';
import { COUNTER_SLOTS } from '../../src/db/counter-sql';
import { DEFAULT_AREAS } from '../db/seed';
import { ensureActor, makeBatch } from '../db/bench-flush';
import { capacity, SOFT_LIMIT_PER_OBJECT, type Costs, type ModelSettings } from './capacity-model';
import { cpuBetween, snapshot } from './cpu';
import { freePort, startProduct } from './servers';
import { round, Samples } from './stats';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    batch: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    kinds: { type: 'string', default: 'noop,claim,board,flush,scan' },
    'no-measure': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    'check-duration': { type: 'string', default: '30' },
    json: { type: 'string' },
  },
});

const RATE = Number(args.rate);
const DURATION_S = Number(args.duration);
const BATCH = Number(args.batch);
const RUN = Date.now().toString(36).toUpperCase().slice(-6);

/** The product's settings as a deployment with wrangler.toml's vars and these env overrides would read them. */
function modelSettings(): ModelSettings {
  const env = { DATABASE_URL: 'postgres://bench', SESSION_SECRET: 'x'.repeat(32), ...process.env };
  const s = settings(env);
  const sample = makeBatch('MODEL', 0, 3, 1, 1);
  return {
    registryShards: s.REGISTRY_SHARDS,
    flushShards: s.FLUSH_SHARDS, // what stubs.ts flushShardCount() returns
    parentFlushDelayMs: s.PARENT_FLUSH_DELAY_MS,
    flushDelayMs: s.FLUSH_DELAY_MS,
    parentCapacity: s.PARENT_CAPACITY,
    revocationRefreshSeconds: s.REVOCATION_REFRESH_SECONDS,
    boardPushIntervalMs: s.BOARD_PUSH_INTERVAL_MS,
    boardBroadcastMs: s.BOARD_BROADCAST_MS,
    // postgres.js runs a flush as BEGIN, the statements, COMMIT (client.ts runAtomic).
    statementsPerFlush: buildFlushStatements({ ...sample, parents: [sample.parent!], parent: null }).length + 2,
    counterSlots: COUNTER_SLOTS,
  };
}

interface KindResult {
  kind: string;
  ops: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  wallMs: { n: number; p50: number; p95: number; p99: number; max: number };
  workerdCpuS: number;
  pgliteCpuS: number;
  windowS: number;
}

type Op = Record<string, unknown> & { op: string };

async function callMany(base: string, ops: Op[]): Promise<Array<{ result: unknown; ms: number }>> {
  const res = await fetch(`${base}/api/__capacity`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ops) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${ops[0]?.op}: ${res.status} ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { answers: Array<{ result: unknown; ms: number }> }).answers;
}

async function call(base: string, op: Op): Promise<unknown> {
  return (await callMany(base, [op]))[0]!.result;
}

/**
 * Drives one kind at RATE ops/s for DURATION_S, BATCH operations per request (RATE ÷ BATCH requests/s), then
 * waits for `settled`; CPU over the whole window. Wall time: each operation as timed inside workerd.
 */
async function drive(base: string, pid: number, kind: string, makeOp: (i: number) => Op, settled: () => Promise<void>): Promise<KindResult> {
  const n = Math.round(RATE * DURATION_S);
  const requests = Math.ceil(n / BATCH);
  const wall = new Samples();
  let errors = 0;
  const errorSamples: string[] = [];
  const before = snapshot(pid);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let j = 0; j < requests; j++) {
    const due = started + (j * BATCH * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const ops = Array.from({ length: Math.min(BATCH, n - j * BATCH) }, (_, k) => makeOp(j * BATCH + k));
    pending.push(
      callMany(base, ops).then(
        (answers) => {
          for (const { result, ms } of answers) {
            wall.add(ms);
            const r = result as { ok?: boolean; error?: { code: string } } | null;
            if (r && r.ok === false) {
              errors++;
              if (errorSamples.length < 3) errorSamples.push(JSON.stringify(r.error));
            }
          }
        },
        (err) => {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(String(err));
        },
      ),
    );
  }
  await Promise.all(pending);
  await settled();
  const windowS = (performance.now() - started) / 1000;
  const cpu = cpuBetween(before, snapshot(pid), 0);
  return { kind, ops: n, requests, errors, errorSamples, wallMs: wall.summary(), workerdCpuS: cpu.workerd ?? 0, pgliteCpuS: cpu['node: start.ts (embedded PGlite)'] ?? 0, windowS: round(windowS) };
}

const pause = (ms: number) => () => new Promise<void>((r) => setTimeout(r, ms));

async function measure(): Promise<{ results: KindResult[]; costs: Costs; table: Record<string, unknown>[]; statement: Record<string, number> }> {
  process.env.WRANGLER_MAIN = 'scripts/bench/capacity/entry.ts';
  process.env.WRANGLER_INSPECTOR_PORT ??= String(await freePort());
  const product = await startProduct();
  const kinds = args.kinds!.split(',');
  const results = new Map<string, KindResult>();
  let statement: Record<string, number> = {};
  const client = new pg.Client({ connectionString: product.databaseUrl! });
  try {
    await client.connect();
    const login = await fetch(`${product.url}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dispatcher', password: process.env.BENCH_PASSWORD ?? 'tracetrack-dev' }),
    });
    const { user } = (await login.json()) as { user: { id: number; username: string; role: string; areaId: number } };
    await call(product.url, { op: 'noop' }); // first request compiles and starts the isolate: outside any window
    const child = (kind: string, i: number) => `C${RUN}${kind[0]!.toUpperCase()}${i.toString(36).toUpperCase().padStart(5, '0')}`;
    const linksIn = (prefix: string, n: number) => async () => {
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        const res = await client.query<{ n: string }>('SELECT count(*) AS n FROM links WHERE child_qr LIKE $1', [`${prefix}%`]);
        if (Number(res.rows[0]!.n) >= n) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${prefix}: links not in Postgres 20 s after the run`);
    };
    const n = Math.round(RATE * DURATION_S);
    for (const kind of kinds) {
      console.log(`-- ${kind}: ${RATE} ops/s for ${DURATION_S} s`);
      if (kind === 'noop') results.set(kind, await drive(product.url, product.pid, kind, () => ({ op: 'noop' }), pause(1500)));
      if (kind === 'claim') results.set(kind, await drive(product.url, product.pid, kind, (i) => ({ op: 'claim', childQr: child('claim', i), parentQr: `SB${String(90_000 + (i % 100)).padStart(5, '0')}` }), pause(1500)));
      if (kind === 'board') {
        const summary = (i: number) => ({ parentQr: `SB${String(80_000 + (i % RATE)).padStart(5, '0')}`, areaId: user.areaId, childCount: 1 + Math.floor(i / RATE), capacity: 30, status: 'open', lastScanAt: new Date().toISOString(), by: user.username });
        results.set(kind, await drive(product.url, product.pid, kind, (i) => ({ op: 'board', summary: summary(i) }), pause(1500)));
      }
      if (kind === 'flush') {
        // One child per request, as a parent's push carries it: its link change and its scan row.
        const parentQr = 'SB70000';
        const rows = (i: number) => {
          const childQr = child('flush', i);
          const eventId = scopedEventId(parentQr, `${RUN}-f-${i}`);
          const at = new Date().toISOString();
          return [
            { kind: 'change', body: JSON.stringify({ kind: 'link', eventId, childQr, parentQr, areaId: user.areaId, at, userId: user.id }) },
            { kind: 'scan', body: JSON.stringify({ scanId: eventId, parentQr, childQr, userId: user.id, areaId: user.areaId, result: 'linked', errorCode: null, at }) },
          ];
        };
        results.set(kind, await drive(product.url, product.pid, kind, (i) => ({ op: 'flush', key: child('flush', i), rows: rows(i) }), linksIn(`C${RUN}F`, n)));
      }
      if (kind === 'scan') {
        // RATE parents, each scanned once a second (the load model), opened before the window.
        const parents = Array.from({ length: RATE }, (_, i) => `SB${String(60_000 + i).padStart(5, '0')}`);
        for (const parentQr of parents) await call(product.url, { op: 'open', user, parentQr });
        const op = (i: number) => ({ op: 'scan', user, parentQr: parents[i % RATE]!, childQr: child('scan', i), scanId: `${RUN}-s-${i}` });
        results.set(kind, await drive(product.url, product.pid, kind, op, linksIn(`C${RUN}S`, n)));
      }
    }
    // Per Postgres statement: the FlushQueue's own statements, one shard's batch at the load model, from here.
    const ms = modelSettings();
    const perBatch = Math.max(1, Math.round(((100 * ms.flushDelayMs) / 1000 / ms.flushShards)));
    const db = getDb({ DATABASE_URL: product.databaseUrl! });
    try {
      const { areaId, userId } = await ensureActor(db);
      const batches = 300;
      const before = snapshot(product.pid);
      const started = performance.now();
      for (let i = 0; i < batches; i++) await flushBatch(db, makeBatch(`${RUN}P`, i, perBatch, areaId, userId));
      const wallMs = performance.now() - started;
      const cpu = cpuBetween(before, snapshot(product.pid), 0);
      const sample = makeBatch('X', 0, perBatch, areaId, userId);
      const statements = batches * (buildFlushStatements(sample).length + 2);
      statement = { batches, rowsPerBatch: perBatch, statements, wallMsPerStatement: round(wallMs / statements, 3), pgliteCpuMsPerStatement: round(((cpu['node: start.ts (embedded PGlite)'] ?? 0) * 1000) / statements, 3) };
    } finally {
      await closeDb(db);
    }
  } finally {
    await client.end().catch(() => undefined);
    await product.stop();
    rmSync(product.dir, { recursive: true, force: true });
  }

  const noop = results.get('noop');
  const cpuMs = (k: KindResult, perUnits: number) => {
    const overhead = noop ? (noop.workerdCpuS * k.requests) / noop.requests : 0;
    return round(((k.workerdCpuS - overhead) * 1000) / perUnits, 3);
  };
  const costs: Costs = {};
  const table: Record<string, unknown>[] = [];
  const add = (label: string, k: KindResult | undefined, units: number, cost: number | undefined) => {
    if (!k) return;
    table.push({ operation: label, ops: k.ops, errors: k.errors, workerdCpuMsPerOp: cost ?? null, pgliteCpuMsPerOp: round((k.pgliteCpuS * 1000) / units, 3), wallP50Ms: k.wallMs.p50, wallP95Ms: k.wallMs.p95, wallP99Ms: k.wallMs.p99, throughput: round(k.ops / k.windowS, 1) });
  };
  if (noop) add(`Worker request carrying ${BATCH} noops (per request)`, noop, noop.requests, round((noop.workerdCpuS * 1000) / noop.requests, 3));
  const claim = results.get('claim');
  if (claim) add('claim in a registry shard', claim, claim.ops, (costs.claimMs = cpuMs(claim, claim.ops)));
  const board = results.get('board');
  if (board) add('area board update', board, board.ops, (costs.boardUpdateMs = cpuMs(board, board.ops)));
  const flush = results.get('flush');
  if (flush) add('flushed row (enqueue + Postgres write, per row)', flush, flush.ops * 2, (costs.flushRowMs = cpuMs(flush, flush.ops * 2)));
  const scan = results.get('scan');
  if (scan) {
    const total = cpuMs(scan, scan.ops);
    add('scan path (parent + claim + board + flush)', scan, scan.ops, total);
    if (costs.claimMs !== undefined && costs.boardUpdateMs !== undefined && costs.flushRowMs !== undefined) {
      costs.scanInParentMs = round(Math.max(0, total - costs.claimMs - costs.boardUpdateMs - 3 * costs.flushRowMs), 3);
      table.push({ operation: 'scan in a parent (scan path − claim − board − 3 rows)', workerdCpuMsPerOp: costs.scanInParentMs });
    }
  }
  return { results: [...results.values()], costs, table, statement };
}

function printModel(ms: ModelSettings, costs: Costs): unknown[] {
  const areas = DEFAULT_AREAS.length;
  console.log(`\nModel: REGISTRY_SHARDS=${ms.registryShards} FLUSH_SHARDS=${ms.flushShards} PARENT_FLUSH_DELAY_MS=${ms.parentFlushDelayMs} FLUSH_DELAY_MS=${ms.flushDelayMs} PARENT_CAPACITY=${ms.parentCapacity} BOARD_PUSH_INTERVAL_MS=${ms.boardPushIntervalMs} BOARD_BROADCAST_MS=${ms.boardBroadcastMs}, ${areas} areas, 1 scan/s per scanner; soft limit ${SOFT_LIMIT_PER_OBJECT} requests/s per object`);
  console.log('\n| scanners | kind | objects | requests/s per object | of soft limit | CPU ms/s per object |');
  console.log('|---|---|---|---|---|---|');
  const out = [];
  for (const scanners of [100, 1000, 10_000]) {
    const m = capacity({ scanners, rate: 1, areas }, ms, costs);
    out.push(m);
    for (const k of m.kinds) {
      const flag = k.perObject >= SOFT_LIMIT_PER_OBJECT ? ' **at or over**' : '';
      console.log(`| ${scanners.toLocaleString('en')} | ${k.kind} | ${k.objects.toLocaleString('en')} | ${round(k.perObject, 1)}${flag} | ${Math.round(k.ofSoftLimit * 100)} % | ${k.cpuMsPerSecond === null ? '–' : round(k.cpuMsPerSecond, 1)} |`);
    }
    const p = m.postgres;
    const b = m.areaBoard;
    console.log(`| ${scanners.toLocaleString('en')} | area board broadcasts | – | ${round(b.broadcastsPerSecond, 1)} frames/s per watcher, ${round(b.summariesPerBroadcast, 1)} summaries each | – | – |`);
    console.log(`| ${scanners.toLocaleString('en')} | Postgres | 1 | ${round(p.transactionsPerSecond)} transactions/s, ${round(p.statementsPerSecond)} statements/s, ${round(p.rowsPerSecond)} rows/s (${p.linksPerSecond} links/s), a hot counter row updated ${round(p.hotCounterRowUpdatesPerSecond, 1)}/s | – | – |`);
  }
  for (const m of out) {
    const over = m.overCpu.length ? `; CPU of one core or more per object (measured cost): ${m.overCpu.join(', ')}` : '';
    console.log(`${m.load.scanners.toLocaleString('en')} scanners: at or over the soft limit: ${m.overLimit.length ? m.overLimit.join(', ') : 'none'}${over}`);
  }
  return out;
}

function runScan(extra: string[], jsonPath: string, inspectorPort: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    // bench:scan's servers above the inspector's port when BENCH_PORT_BASE is set.
    const base = Number(process.env.BENCH_PORT_BASE ?? 0);
    const argv = ['scripts/bench/scan.ts', '--no-baseline', '--no-floor', '--duration', args['check-duration']!, '--json', jsonPath, ...extra];
    console.log(`\n-- bench:scan ${argv.slice(1).join(' ')}`);
    const child = spawn('node_modules/.bin/tsx', argv, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, WRANGLER_INSPECTOR_PORT: inspectorPort, ...(base ? { BENCH_PORT_BASE: String(base + 10) } : {}) } });
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench:scan exited ${code}`));
      resolve(JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>);
    });
  });
}

async function check(): Promise<unknown> {
  const dir = tmpdir();
  // wrangler's inspector in the same port range as the servers (BENCH_PORT_BASE), not its default.
  const inspector = process.env.WRANGLER_INSPECTOR_PORT ?? String(await freePort());
  const small = await runScan(['--scanners', '100'], join(dir, `tt-cap-${RUN}-100.json`), inspector);
  const large = await runScan(['--scanners', '1000', '--rate', '0.1', '--areas', '50'], join(dir, `tt-cap-${RUN}-1000.json`), inspector);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench:scan's JSON report
  const product = (r: any) => r.results.find((x: { name: string }) => x.name === 'product');
  const a = product(small);
  const b = product(large);
  // workerd CPU per scan: the figure a loaded machine disturbs least (latency there is mostly waiting for a core).
  console.log('\n| run | scans/s | workerd CPU ms/scan | round trip p50 / p95 / p99 ms | server ack p50 / p95 / p99 ms | open p99 ms | fan-out p99 ms | flush lag p99 ms | errors | load |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench:scan's JSON report
  const line = (name: string, r: any) =>
    console.log(`| ${name} | ${r.scansPerSecond} | ${r.cpuSeconds?.workerd && r.scans ? round((r.cpuSeconds.workerd * 1000) / r.scans, 2) : '–'} | ${r.roundTripMs.p50} / ${r.roundTripMs.p95} / ${r.roundTripMs.p99} | ${r.serverAckMs.p50} / ${r.serverAckMs.p95} / ${r.serverAckMs.p99} | ${r.openParentMs?.p99 ?? '–'} | ${r.fanoutMs?.p99 ?? '–'} | ${r.flushLagMs?.p99 ?? '–'} | ${r.errors} | ${r.loadAverage[0]} |`);
  line('100 scanners × 1/s, 1 area', a);
  line('1,000 scanners × 0.1/s, 50 areas', b);
  const ratio = (f: (r: { roundTripMs: { p50: number; p99: number } }) => number) => round(f(b) / f(a), 2);
  console.log(`1,000 ÷ 100: round trip p50 ${ratio((r) => r.roundTripMs.p50)}×, p99 ${ratio((r) => r.roundTripMs.p99)}×`);
  return { small: a, large: b };
}

async function main(): Promise<void> {
  const ms = modelSettings();
  console.log(`bench:capacity rate=${RATE}/s batch=${BATCH} duration=${DURATION_S}s load average ${loadavg().map((v) => round(v, 1)).join(' ')}`);
  const out: Record<string, unknown> = { date: new Date().toISOString(), settings: ms };
  let costs: Costs = {};
  if (!args['no-measure']) {
    const m = await measure();
    costs = m.costs;
    Object.assign(out, { measured: m.results, costs: m.table, postgresStatement: m.statement });
    console.log('\n| operation | ops | errors | workerd CPU ms/op | PGlite CPU ms/op | wall p50 / p95 / p99 ms (in workerd) | ops/s |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of m.table as Array<Record<string, number | string | null>>) {
      if (r.ops === undefined) console.log(`| ${r.operation} | | | ${r.workerdCpuMsPerOp} | | | |`);
      else console.log(`| ${r.operation} | ${r.ops} | ${r.errors} | ${r.workerdCpuMsPerOp} | ${r.pgliteCpuMsPerOp} | ${r.wallP50Ms} / ${r.wallP95Ms} / ${r.wallP99Ms} | ${r.throughput} |`);
    }
    const st = m.statement;
    console.log(`| Postgres statement (flushBatch of ${st.rowsPerBatch} links, ${st.batches} batches, from Node) | ${st.statements} | | – | ${st.pgliteCpuMsPerStatement} | ${st.wallMsPerStatement} (mean, from Node) | |`);
    for (const r of m.results) if (r.errors) console.log(`${r.kind}: ${r.errors} errors, e.g. ${r.errorSamples.join('; ')}`);
  }
  out.model = printModel(ms, costs);
  if (args.check) out.check = await check();
  out.loadAverage = loadavg().map((v) => round(v, 1));
  if (args.json) (await import('node:fs')).writeFileSync(args.json, JSON.stringify(out, null, 2));
  process.exit(0);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
