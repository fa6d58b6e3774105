// bench:scan — the load model of PRODUCT.md "Budgets": N scanners over WebSockets (1 scan/s each with a
// random phase, or no pacing in saturation mode, or HTTP instead of WebSockets), supervisors on the live
// board, and, in the same run, two references: the bare Durable Object baseline (this machine's floor) and
// the design floor (the bare object plus one claim per new child in a sharded registry object, the least
// this design can do). The product's ratio to both is printed.
//   npm run bench:scan -- [--mode paced|saturate|http] [--scanners 100] [--supervisors 5]
//                         [--warmup 10] [--duration 30] [--url http://…] [--database-url postgres://…]
//                         [--no-baseline] [--no-floor] [--rate 1] [--areas N] [--json out.json]
// --rate: scans per second per scanner in paced mode (default 1). --areas N: the product's scanners sign in as N
// dispatchers of N new areas (created here as admin), scanner i in area i mod N, so parents spread over N area
// boards (bench:capacity's check: 1,000 scanners × 0.1/s over 50 areas); supervisors still watch their own area,
// so fan-out is measured only without --areas. --json: the JSON report also goes to that file.
// Storage: every server keeps its state under os.tmpdir(). On this machine's disk each Durable Object commit
// waits for the disk, which dominates the median (docs/BENCHMARKS.md, 2026-12-04 evening); `TMPDIR=/dev/shm
// npm run bench:scan …` measures the code with the state in memory. Say which one a recorded run used.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { round, Samples } from './stats';
import { startBaseline, startProduct, type Running } from './servers';
import { cpuBetween, snapshot } from './cpu';

const { values: args } = parseArgs({
  options: {
    mode: { type: 'string', default: 'paced' },
    scanners: { type: 'string', default: '100' },
    supervisors: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '10' },
    duration: { type: 'string', default: '30' },
    url: { type: 'string' },
    'database-url': { type: 'string' },
    'no-baseline': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    json: { type: 'string' },
    rate: { type: 'string', default: '1' },
    areas: { type: 'string', default: '0' },
  },
});

type Mode = 'paced' | 'saturate' | 'http';
const MODE = args.mode as Mode;
if (!['paced', 'saturate', 'http'].includes(MODE)) throw new Error('--mode must be paced, saturate or http');
const SCANNERS = Number(args.scanners);
const SUPERVISORS = Number(args.supervisors);
const WARMUP_MS = Number(args.warmup) * 1000;
const DURATION_MS = Number(args.duration) * 1000;
const RATE = Number(args.rate);
if (!(RATE > 0)) throw new Error('--rate must be a positive number of scans per second per scanner');
const TICK_MS = 1000 / RATE;
const AREAS = Number(args.areas);
const CAPACITY = 30;
const RUN = Date.now().toString(36).toUpperCase().slice(-6);

interface Metrics {
  rtt: Samples;
  server: Samples;
  open: Samples;
  fanout: Samples;
  flushLag: Samples;
  health: Samples;
  scans: number;
  errors: number;
  rejected: number;
  errorSamples: string[];
}

function newMetrics(): Metrics {
  return { rtt: new Samples(), server: new Samples(), open: new Samples(), fanout: new Samples(), flushLag: new Samples(), health: new Samples(), scans: 0, errors: 0, rejected: 0, errorSamples: [] };
}

let childSeq = 0;
const nextChild = () => `C${RUN}${(childSeq++).toString(36).toUpperCase().padStart(6, '0')}`;
const usedParents = new Set<number>();
function nextParentQr(): string {
  for (;;) {
    const n = Math.floor(Math.random() * 100_000);
    if (!usedParents.has(n)) {
      usedParents.add(n);
      return `SB${String(n).padStart(5, '0')}`;
    }
  }
}

function recordError(m: Metrics, what: string): void {
  m.errors++;
  if (m.errorSamples.length < 5) m.errorSamples.push(what);
}

async function token(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: process.env.BENCH_PASSWORD ?? 'tracetrack-dev' }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

function connect(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}

/** Times at which acks (scanner side) and board updates (supervisor side) arrived, to pair them up. */
const ackAt = new Map<string, number>();
const boardAt = new Map<string, number>();

interface Target {
  /** `baseline` and `floor` are the two references served by scripts/bench/baseline (no auth, no HTTP open). */
  kind: 'product' | 'baseline' | 'floor';
  base: string;
  auth: Record<string, string>;
  /** The server's root process (started here), for the CPU split of the measured window. */
  pid?: number;
  /** --areas: one sign-in per area; scanner i uses entry i mod length. */
  perScanner?: Array<Record<string, string>>;
}

/** --areas: N new areas, a dispatcher in each (created as admin), and a bearer header per dispatcher. */
async function areaDispatchers(base: string, n: number): Promise<Array<Record<string, string>>> {
  const admin = { authorization: `Bearer ${await token(base, process.env.BENCH_ADMIN ?? 'admin')}`, 'content-type': 'application/json' };
  const password = `bench-${RUN}-not-a-real-password`;
  const out: Array<Record<string, string>> = [];
  for (let i = 0; i < n; i++) {
    const areaRes = await fetch(`${base}/api/areas`, { method: 'POST', headers: admin, body: JSON.stringify({ name: `Bench ${RUN} ${i}` }) });
    if (!areaRes.ok) throw new Error(`create area: ${areaRes.status} ${await areaRes.text()}`);
    const { area } = (await areaRes.json()) as { area: { id: number } };
    const username = `bench-${RUN.toLowerCase()}-${i}`;
    const userRes = await fetch(`${base}/api/users`, { method: 'POST', headers: admin, body: JSON.stringify({ username, password, role: 'dispatcher', areaId: area.id }) });
    if (!userRes.ok) throw new Error(`create user: ${userRes.status} ${await userRes.text()}`);
    const res = await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    out.push({ authorization: `Bearer ${((await res.json()) as { token: string }).token}` });
  }
  return out;
}

/** One scanner: opens parents, scans children into them, replaces each parent when it fills. */
class Scanner {
  private ws: WebSocket | null = null;
  private parent = '';
  private count = 0;
  private waiting: { scanId: string; sent: number; childQr: string } | null = null;
  private stopped = false;
  private seq = 0;
  /**
   * The first parent is switched after a random number of scans, so parents fill (and new ones open) spread
   * over time as on a real floor, not all in the same second because every scanner started together.
   */
  private fillTarget = 1 + Math.floor(Math.random() * CAPACITY);

  constructor(
    private readonly id: number,
    private readonly target: Target,
    private readonly metrics: () => Metrics | null,
    private readonly acked: (childQr: string, at: number) => void,
  ) {}

  async start(): Promise<void> {
    await this.openParent();
    if (MODE === 'saturate') void this.scan();
    else setTimeout(() => this.tick(), Math.random() * TICK_MS);
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close();
  }

  private tick(): void {
    if (this.stopped) return;
    if (!this.waiting) void this.scan();
    setTimeout(() => this.tick(), TICK_MS);
  }

  private async openParent(): Promise<void> {
    const old = this.ws;
    this.ws = null;
    old?.close();
    if (this.count > 0) this.fillTarget = CAPACITY;
    this.count = 0;
    if (this.target.kind !== 'product') {
      this.parent = `P${RUN}${this.id}x${this.seq++}`;
      const path = this.target.kind === 'floor' ? 'floor' : 'parents';
      const ws = await connect(`${this.target.base.replace('http', 'ws')}/${path}/${this.parent}/ws`, {});
      this.ws = ws;
      ws.on('message', (data) => this.onMessage(String(data)));
      ws.on('close', () => {
        if (!this.stopped && this.ws === ws) recordError(this.metrics() ?? newMetrics(), `${this.target.kind} socket closed by server`);
      });
      return;
    }
    const started = performance.now();
    for (;;) {
      this.parent = nextParentQr();
      const res = await fetch(`${this.target.base}/api/parents/${this.parent}/open`, { method: 'POST', headers: this.target.auth });
      const body = (await res.json()) as { parent?: { childCount: number; status: string } };
      if (res.status >= 500) recordError(this.metrics() ?? newMetrics(), `open ${res.status}`);
      if (res.ok && body.parent?.childCount === 0 && body.parent.status === 'open') break;
    }
    this.metrics()?.open.add(performance.now() - started);
    if (MODE === 'http') return;
    const ws = await connect(`${this.target.base.replace('http', 'ws')}/api/parents/${this.parent}/ws`, this.target.auth);
    this.ws = ws;
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('close', () => {
      // Only a close we did not ask for (we close the old socket when switching parents) is an error.
      if (!this.stopped && this.ws === ws) recordError(this.metrics() ?? newMetrics(), 'socket closed by server');
    });
  }

  private async scan(): Promise<void> {
    if (this.stopped || this.waiting) return;
    const childQr = nextChild();
    const scanId = `${RUN}-${this.id}-${this.seq++}`;
    this.waiting = { scanId, sent: performance.now(), childQr };
    if (MODE === 'http' && this.target.kind === 'product') {
      try {
        const res = await fetch(`${this.target.base}/api/parents/${this.parent}/children`, {
          method: 'POST',
          headers: { ...this.target.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ qr: childQr, scanId }),
        });
        const body = (await res.json()) as { result?: string; childCount?: number; status?: string; error?: { code: string } };
        await this.onAck({ scanId, result: res.ok ? body.result : 'rejected', childCount: body.childCount ?? 0, status: body.status, error: body.error, httpStatus: res.status });
      } catch (err) {
        recordError(this.metrics() ?? newMetrics(), String(err));
        this.waiting = null;
      }
      return;
    }
    this.ws?.send(JSON.stringify({ type: 'scan', qr: childQr, scanId }));
  }

  private onMessage(text: string): void {
    const msg = JSON.parse(text) as { type: string; scanId?: string };
    if (msg.type === 'ack') void this.onAck(msg as unknown as Parameters<Scanner['onAck']>[0]);
  }

  private async onAck(ack: { scanId?: string; result?: string; childCount: number; status?: string; serverMs?: number; error?: { code: string }; httpStatus?: number }): Promise<void> {
    const w = this.waiting;
    if (!w || ack.scanId !== w.scanId) return;
    const now = performance.now();
    this.waiting = null;
    const m = this.metrics();
    if (m) {
      m.rtt.add(now - w.sent);
      if (typeof ack.serverMs === 'number') m.server.add(ack.serverMs);
      m.scans++;
      if (ack.result === 'rejected') {
        if ((ack.httpStatus ?? 400) >= 500 || ['UNAVAILABLE', 'INTERNAL'].includes(ack.error?.code ?? '')) recordError(m, `ack ${ack.error?.code}`);
        else m.rejected++;
      }
    }
    if (ack.result === 'linked') {
      this.count = ack.childCount;
      const key = `${this.parent}:${ack.childCount}`;
      const boardTime = boardAt.get(key);
      if (boardTime !== undefined && m) m.fanout.add(Math.max(0, boardTime - now));
      else ackAt.set(key, now);
      this.acked(w.childQr, now);
    }
    if (this.count >= this.fillTarget || ack.status === 'completed') await this.openParent().catch((err) => recordError(m ?? newMetrics(), String(err)));
    if (MODE === 'saturate') void this.scan();
  }
}

async function runPhase(target: Target, supervisorAuth: Record<string, string> | null, databaseUrl: string | null): Promise<Metrics> {
  let current: Metrics | null = null;
  const measuring = newMetrics();
  const pendingFlush = new Map<string, number>();
  const acked = (childQr: string, at: number) => {
    if (current && databaseUrl) pendingFlush.set(childQr, at);
  };

  const boards: WebSocket[] = [];
  if (supervisorAuth) {
    for (let i = 0; i < SUPERVISORS; i++) {
      const ws = await connect(`${target.base.replace('http', 'ws')}/api/live/ws`, supervisorAuth);
      const first = i === 0;
      ws.on('message', (data) => {
        if (!first) return; // every supervisor gets the same frames; pair acks with one of them
        const msg = JSON.parse(String(data)) as { type: string; parentQr?: string; childCount?: number };
        if (msg.type !== 'session') return;
        const now = performance.now();
        const key = `${msg.parentQr}:${msg.childCount}`;
        const ackTime = ackAt.get(key);
        if (ackTime !== undefined) {
          ackAt.delete(key);
          current?.fanout.add(now - ackTime);
        } else boardAt.set(key, now);
      });
      boards.push(ws);
    }
  }

  let poller: NodeJS.Timeout | undefined;
  let client: pg.Client | null = null;
  if (databaseUrl) {
    client = new pg.Client({ connectionString: databaseUrl });
    // A dropped connection is a finding of the run, not a crash of the load generator.
    client.on('error', (err) => recordError(measuring, `flush-lag poller: ${err.message}`));
    await client.connect();
    const poll = async () => {
      if (pendingFlush.size > 0) {
        const batch = [...pendingFlush.keys()].slice(0, 5000);
        const res = await client!.query<{ child_qr: string }>('SELECT child_qr FROM links WHERE child_qr = ANY($1)', [batch]);
        const now = performance.now();
        for (const row of res.rows) {
          const at = pendingFlush.get(row.child_qr);
          if (at !== undefined) measuring.flushLag.add(now - at);
          pendingFlush.delete(row.child_qr);
        }
      }
      poller = setTimeout(() => void poll().catch(() => undefined), 100);
    };
    void poll();
  }

  // /health under the same load: a request every 20 ms from one client.
  let healthTimer: NodeJS.Timeout | undefined;
  if (target.kind === 'product') {
    const probe = async () => {
      const started = performance.now();
      try {
        const res = await fetch(`${target.base}/health`);
        await res.text();
        if (res.status !== 200) recordError(current ?? newMetrics(), `/health ${res.status}`);
        current?.health.add(performance.now() - started);
      } catch (err) {
        recordError(current ?? newMetrics(), String(err));
      }
      healthTimer = setTimeout(() => void probe(), 20);
    };
    void probe();
  }

  const scanners = Array.from({ length: SCANNERS }, (_, i) => new Scanner(i, target.perScanner ? { ...target, auth: target.perScanner[i % target.perScanner.length]! } : target, () => current, acked));
  // Started in groups of 100 (the default run: all at once, as before): a thousand parents opened in one go would
  // time out opens rather than measure the steady state.
  for (let i = 0; i < scanners.length; i += 100) await Promise.all(scanners.slice(i, i + 100).map((s) => s.start()));
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  current = measuring;
  const started = performance.now();
  const cpuBefore = target.pid ? snapshot(target.pid) : null;
  const selfBefore = process.cpuUsage();
  await new Promise((r) => setTimeout(r, DURATION_MS));
  current = null;
  const elapsed = (performance.now() - started) / 1000;
  if (cpuBefore && target.pid) {
    const self = process.cpuUsage(selfBefore);
    (measuring as Metrics & { cpuSeconds?: Record<string, number> }).cpuSeconds = cpuBetween(cpuBefore, snapshot(target.pid), self.user + self.system);
  }
  clearTimeout(healthTimer);
  for (const s of scanners) s.stop();
  for (const b of boards) b.close();
  // Let the last acked links reach Postgres before the poller stops (budget: 2 s).
  const drainUntil = Date.now() + 5000;
  while (pendingFlush.size > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 100));
  clearTimeout(poller);
  if (pendingFlush.size > 0) recordError(measuring, `${pendingFlush.size} acked links not in Postgres 5 s after the run`);
  await client?.end();
  (measuring as Metrics & { elapsed: number }).elapsed = elapsed;
  return measuring;
}

function report(name: string, m: Metrics): Record<string, unknown> {
  const elapsed = (m as Metrics & { elapsed: number }).elapsed;
  return {
    name,
    scansPerSecond: round(m.scans / elapsed, 1),
    scans: m.scans,
    rejected: m.rejected,
    errors: m.errors,
    errorSamples: m.errorSamples,
    serverAckMs: m.server.summary(),
    roundTripMs: m.rtt.summary(),
    openParentMs: m.open.count ? m.open.summary() : null,
    fanoutMs: m.fanout.count ? m.fanout.summary() : null,
    flushLagMs: m.flushLag.count ? m.flushLag.summary() : null,
    healthMs: m.health.count ? m.health.summary() : null,
    // CPU seconds per process kind in the measured window (Linux /proc), and the load average when it ended.
    cpuSeconds: (m as Metrics & { cpuSeconds?: Record<string, number> }).cpuSeconds ?? null,
    loadAverage: loadavg().map((v) => round(v, 1)),
  };
}

async function main(): Promise<void> {
  console.log(`bench:scan mode=${MODE} scanners=${SCANNERS} supervisors=${SUPERVISORS} warmup=${WARMUP_MS / 1000}s duration=${DURATION_MS / 1000}s${RATE !== 1 ? ` rate=${RATE}/s` : ''}${AREAS ? ` areas=${AREAS}` : ''}`);
  const results: Record<string, unknown>[] = [];

  const references: Record<string, Record<string, unknown>> = {};
  if (!args['no-baseline'] || !args['no-floor']) {
    const refs = await startBaseline();
    try {
      const mode = MODE === 'http' ? 'paced' : MODE;
      if (!args['no-baseline']) {
        console.log(`\n-- baseline (bare Durable Object, ${mode}) on ${refs.url}`);
        references.baseline = report('baseline', await runPhase({ kind: 'baseline', base: refs.url, auth: {}, pid: refs.pid }, null, null));
        results.push(references.baseline);
      }
      if (!args['no-floor']) {
        console.log(`\n-- design floor (bare object + one sharded registry claim per new child, ${mode}) on ${refs.url}`);
        references.floor = report('floor', await runPhase({ kind: 'floor', base: refs.url, auth: {}, pid: refs.pid }, null, null));
        results.push(references.floor);
      }
    } finally {
      await refs.stop();
    }
  }

  let product: Running | null = null;
  let base = args.url;
  let productPid: number | undefined;
  let databaseUrl = args['database-url'] ?? process.env.DATABASE_URL ?? null;
  if (!base) {
    const started = await startProduct();
    product = started;
    productPid = started.pid;
    base = started.url;
    databaseUrl = started.databaseUrl;
  }
  try {
    console.log(`\n-- product (${MODE}) on ${base}${databaseUrl ? '' : ' (no database URL: flush lag not measured)'}`);
    const auth = { authorization: `Bearer ${await token(base, process.env.BENCH_SCANNER ?? 'dispatcher')}` };
    const supervisor = { authorization: `Bearer ${await token(base, process.env.BENCH_SUPERVISOR ?? 'supervisor')}` };
    const perScanner = AREAS > 0 ? await areaDispatchers(base, AREAS) : undefined;
    results.push(report('product', await runPhase({ kind: 'product', base, auth, pid: productPid, perScanner }, supervisor, databaseUrl)));
  } finally {
    await product?.stop();
  }

  const p = results[results.length - 1]!;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- report objects are plain JSON
  const ratios = (ref: any) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- report objects are plain JSON
    const ratio = (path: (r: any) => number) => round(path(p) / path(ref), 2);
    return {
      roundTripP50: ratio((r) => r.roundTripMs.p50),
      roundTripP95: ratio((r) => r.roundTripMs.p95),
      roundTripP99: ratio((r) => r.roundTripMs.p99),
      throughput: ratio((r) => r.scansPerSecond),
    };
  };
  if (references.baseline) p.vsBaseline = ratios(references.baseline);
  if (references.floor) p.vsFloor = ratios(references.floor);
  const json = JSON.stringify({ mode: MODE, scanners: SCANNERS, supervisors: SUPERVISORS, ...(RATE !== 1 ? { rate: RATE } : {}), ...(AREAS ? { areas: AREAS } : {}), date: new Date().toISOString(), results }, null, 2);
  console.log('\n' + json);
  if (args.json) writeFileSync(args.json, json);
  // The same figures as one table, references first, so a run can be pasted into docs/BENCHMARKS.md.
  console.log('\n| run | load | scans/s | round trip p50 / p95 / p99 ms | server ack p50 / p99 ms | open p99 ms | errors |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results as Array<ReturnType<typeof report>>) {
    const rt = r.roundTripMs as { p50: number; p95: number; p99: number };
    const ack = r.serverAckMs as { p50: number; p99: number };
    const open = r.openParentMs as { p99: number } | null;
    console.log(`| ${r.name} | ${(r.loadAverage as number[])[0]} | ${r.scansPerSecond} | ${rt.p50} / ${rt.p95} / ${rt.p99} | ${ack.p50} / ${ack.p99} | ${open?.p99 ?? '–'} | ${r.errors} |`);
  }
  for (const key of ['vsBaseline', 'vsFloor'] as const) {
    const v = p[key] as { roundTripP50: number; roundTripP95: number; roundTripP99: number; throughput: number } | undefined;
    if (v) console.log(`product ${key === 'vsBaseline' ? '÷ bare baseline' : '÷ design floor'}: round trip p50 ${v.roundTripP50}× p95 ${v.roundTripP95}× p99 ${v.roundTripP99}×, throughput ${v.throughput}×`);
  }
  process.exit(0);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
