// `npm run bench:ui`: first load of the scanner page on an emulated mid phone over a 3G-like network
// (UI.md "Quality bar": under 2 s). Starts the product on fresh state (scripts/lib/stack.ts), signs in
// once through the API to get the session cookie, then loads /scan with an empty cache under Chrome
// DevTools' "Fast 3G" profile (562.5 ms RTT, 1.44 Mbps down, 675 kbps up) and 4× CPU slowdown, and times
// navigation start → the scanner's input has focus (each run a fresh browser context: empty cache) (ready for the first scan). Prints p50/max of N runs.
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
  document.addEventListener('focusin', (event) => {
    if (window.__scanReadyAt === null && event.target?.getAttribute?.('data-testid') === 'scan-input') window.__scanReadyAt = performance.now();
  }, true);
`;
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.44 * 1024 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };

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
      await page.goto('/scan', { waitUntil: 'commit', timeout: 60_000 });
      await page.waitForSelector('[data-testid="scan-input"]:focus', { timeout: 60_000 });
      // A string: it runs in the page, and the scripts' typings have no DOM.
      const ms = (await page.evaluate('window.__scanReadyAt')) as number;
      if (process.env.DEBUG_UI) {
        console.log(await page.evaluate("performance.getEntriesByType('resource').map((e) => e.name + ' ' + e.startTime.toFixed(0) + '-' + e.responseEnd.toFixed(0)).join(String.fromCharCode(10))"));
      }
      times.push(ms);
      console.log(`run ${i + 1}: scanner ready ${ms.toFixed(0)} ms after navigation start`);
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
