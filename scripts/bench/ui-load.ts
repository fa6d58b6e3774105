// `npm run bench:ui`: first load of the scanner page on an emulated mid phone over a 3G-like network
// (UI.md "Quality bar": under 2 s). Starts the product on fresh state (scripts/lib/stack.ts), signs in
// once through the API to get the session cookie, then loads /scan with an empty cache under Chrome
// DevTools' "Fast 3G" profile (562.5 ms RTT, 1.44 Mbps down, 675 kbps up) and 4× CPU slowdown, and times
// navigation start → the scanner's input has focus (each run a fresh browser context: empty cache) (ready for the first scan). Prints p50/max of N runs,
// and for each run where the time went: the HTML's answer, the last file before the input had focus, `/api/auth/me`,
// the first paint and the main thread's long tasks (≥ 50 ms) before focus. DEBUG_UI=1 adds every request's timing;
// TRACE_UI=1 records a Chromium trace of each run and prints the page's main-thread work by kind (script, style,
// layout, paint…) and its tasks of 20 ms or more, in milliseconds after navigation start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium } from '../lib/chromium.mjs';
import { freePortFrom, startStack } from '../lib/stack';

const RUNS = Number(process.env.RUNS ?? 5);
// Where the product and its Postgres listen (first free port from here, Postgres from here + 10): two benches
// on one machine, or a bench next to an e2e run, each get their own range.
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 8900);
const READY_STAMP = `
  window.__scanReadyAt = null;
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  document.addEventListener('focusin', (event) => {
    if (window.__scanReadyAt === null && event.target?.getAttribute?.('data-testid') === 'scan-input') window.__scanReadyAt = performance.now();
  }, true);
`;
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.44 * 1024 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };

// A string: it runs in the page, and the scripts' typings have no DOM.
const PHASES = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const files = performance.getEntriesByType('resource').filter((e) => e.responseEnd <= window.__scanReadyAt);
  const last = files.reduce((a, e) => (!a || e.responseEnd > a.responseEnd ? e : a), null);
  const me = files.filter((e) => e.name.endsWith('/api/auth/me'));
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const busy = window.__longTasks.filter(([at]) => at < window.__scanReadyAt);
  return {
    html: nav ? nav.responseEnd : 0,
    files: files.length,
    lastFile: last ? { name: last.name.split('/').pop(), end: last.responseEnd } : null,
    me: me.map((e) => e.responseEnd),
    fcp: fcp ? fcp.startTime : null,
    longTasks: busy.reduce((sum, [, d]) => sum + d, 0),
    longTaskCount: busy.length,
  };
})()`;

interface Phases {
  html: number;
  files: number;
  lastFile: { name: string; end: number } | null;
  me: number[];
  fcp: number | null;
  longTasks: number;
  longTaskCount: number;
}

const ms0 = (v: number | null | undefined) => (v == null ? '–' : v.toFixed(0));

function phaseLine(p: Phases, ready: number): string {
  return [
    `HTML ${ms0(p.html)}`,
    `${p.files} files, last ${p.lastFile ? `${p.lastFile.name} ${ms0(p.lastFile.end)}` : '–'}`,
    `/me ${p.me.length ? p.me.map(ms0).join(' + ') : '–'}`,
    `first paint ${ms0(p.fcp)}`,
    `long tasks ${ms0(p.longTasks)} ms in ${p.longTaskCount}`,
    `after last file ${ms0(ready - (p.lastFile?.end ?? 0))}`,
  ].join(', ');
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }>;
  samples?: number[];
  timeDeltas?: number[];
}

/** The page's JavaScript by self time (CDP Profiler): the 20 costliest functions and the total per file. */
function printProfile(profile: CpuProfile): void {
  const self = new Map<number, number>();
  (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000));
  const byFile = new Map<string, number>();
  const rows = profile.nodes.map((n) => {
    const file = n.callFrame.url.split('/').pop() || `(${n.callFrame.functionName || 'native'})`;
    const ms = self.get(n.id) ?? 0;
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
    return { name: `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`, ms };
  });
  const merged = new Map<string, number>();
  for (const r of rows) merged.set(r.name, (merged.get(r.name) ?? 0) + r.ms);
  console.log(`  self time by file: ${[...byFile].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([f, v]) => `${f} ${v.toFixed(0)}`).join(', ')}`);
  for (const [name, ms] of [...merged].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${name}`);
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { documentLoaderURL?: string; isLoadingMainFrame?: boolean } };
}

/** The page's main-thread work before the input had focus, by kind, and its long tasks with what filled them. */
function printTrace({ traceEvents: events }: { traceEvents: TraceEvent[] }, ready: number): void {
  // The scanner page's navigation, stamped on its renderer's main thread.
  const start = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame && e.args.data.documentLoaderURL?.endsWith('/scan'));
  if (!start) return console.log('  trace: no navigationStart for /scan');
  const main = { pid: start.pid, tid: start.tid };
  const at = (e: TraceEvent) => (e.ts - start.ts) / 1000;
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined && at(e) >= 0 && at(e) <= ready);
  const tasks = mine.filter((e) => e.name === 'RunTask');
  const KINDS = ['EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'FunctionCall', 'ParseHTML', 'ParseAuthorStyleSheet', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'RunMicrotasks', 'v8.run'];
  const byKind = new Map<string, number>();
  for (const e of mine) if (KINDS.includes(e.name)) byKind.set(e.name, (byKind.get(e.name) ?? 0) + e.dur! / 1000);
  const busy = tasks.reduce((sum, e) => sum + e.dur! / 1000, 0);
  console.log(`  main thread busy ${busy.toFixed(0)} ms before focus; by kind (nested kinds overlap): ${[...byKind].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
  for (const task of tasks.filter((e) => e.dur! >= 20_000)) {
    const inside = mine.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur! && KINDS.includes(e.name));
    const top = new Map<string, number>();
    for (const e of inside) top.set(e.name, (top.get(e.name) ?? 0) + e.dur! / 1000);
    console.log(`  task ${at(task).toFixed(0)}–${(at(task) + task.dur! / 1000).toFixed(0)}: ${[...top].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
  }
}

async function main(): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: apt-get install -y chromium (or set CHROMIUM_PATH).');
  const dir = mkdtempSync(join(tmpdir(), 'tt-bench-ui-'));
  const stack = await startStack({ port: await freePortFrom(PORT_BASE), pgPort: await freePortFrom(PORT_BASE + 10), host: '127.0.0.1', dataDir: join(dir, 'data'), persistTo: join(dir, 'wrangler'), buildUi: true, quiet: true, log: () => undefined });
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ baseURL: stack.url, viewport: { width: 412, height: 860 } });
      const login = await context.request.post('/api/auth/login', { data: { username: 'dispatcher', password: 'tracetrack-dev' } });
      if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
      // The moment the scanner's input takes focus, stamped in the page itself (the app's CSP has no
      // 'unsafe-eval', so waitForFunction's string predicates cannot run there; init scripts can).
      await context.addInitScript(READY_STAMP);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', FAST_3G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      if (process.env.PROFILE_UI) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      if (process.env.TRACE_UI) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing', 'loading'] });
      await page.goto('/scan', { waitUntil: 'commit', timeout: 60_000 });
      await page.waitForSelector('[data-testid="scan-input"]:focus', { timeout: 60_000 });
      if (process.env.PROFILE_UI) printProfile(((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile);
      if (process.env.TRACE_UI) printTrace(JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }, (await page.evaluate('window.__scanReadyAt')) as number);
      // A string: it runs in the page, and the scripts' typings have no DOM.
      const ms = (await page.evaluate('window.__scanReadyAt')) as number;
      if (process.env.DEBUG_UI) {
        console.log(await page.evaluate("performance.getEntriesByType('resource').map((e) => e.name + ' ' + e.startTime.toFixed(0) + '-' + e.responseEnd.toFixed(0)).join(String.fromCharCode(10))"));
      }
      times.push(ms);
      const phases = (await page.evaluate(PHASES)) as Phases;
      console.log(`run ${i + 1}: scanner ready ${ms.toFixed(0)} ms after navigation start (${phaseLine(phases, ms)})`);
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  console.log(`scanner first load (Fast 3G, 4× CPU, empty cache): p50 ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, max ${times[times.length - 1]!.toFixed(0)} ms over ${times.length} runs`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
