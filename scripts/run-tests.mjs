// `npm test`: every suite, then one plain totals line (`N passed, M failed`) that CI reads.
//   plain Node  (vitest.node.config.ts):    pure logic and the Postgres layer against real Postgres
//   workerd     (vitest.workers.config.ts): the Worker and Durable Objects inside the Workers runtime
//   e2e         (vitest.e2e.config.ts):     the whole product (as `npm start`) in Debian's Chromium
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { findChromium } from './lib/chromium.mjs';

const suites = [
  { name: 'node', config: 'vitest.node.config.ts' },
  { name: 'workers', config: 'vitest.workers.config.ts' },
  { name: 'e2e', config: 'vitest.e2e.config.ts', needsChromium: true },
];
// Arguments pick suites (`node workers`), optionally only some files of one (`workers=test/workers/a.test.ts,…`).
const picked = new Map(process.argv.slice(2).map((arg) => {
  const [name, files] = arg.split('=');
  return [name, files ? files.split(',') : []];
}));
const outDir = 'test-results';
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

// The Worker serves the built UI as static assets; the runtime wants the folder to exist.
if (!existsSync('dist/ui/index.html')) {
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

let passed = 0;
let failed = 0;
let skipped = 0;
let crashed = false;
let notRun = [];
// Named failures and retried passes of every suite, printed again just above the totals line.
const failures = [];
const flaky = [];
console.log(`Node ${process.version} (${process.execPath})`);
for (const suite of suites.filter((s) => picked.size === 0 || picked.has(s.name))) {
  if (suite.needsChromium && !findChromium()) {
    // Locally a missing browser skips the suite loudly; in CI it is a failure (.ci/run installs it).
    if (process.env.CI === 'true') {
      console.error(`\n=== ${suite.name} tests: no Chromium found (CI=true): failing. Install it with apt-get install -y chromium or set CHROMIUM_PATH. ===`);
      crashed = true;
    } else {
      console.warn(`\n=== ${suite.name} tests SKIPPED: no Chromium found. Install it with apt-get install -y chromium (or set CHROMIUM_PATH) to run them. ===`);
      notRun.push(suite.name);
    }
    continue;
  }
  const report = `${outDir}/${suite.name}.json`;
  console.log(`\n=== ${suite.name} tests (${suite.config}) ===`);
  const files = picked.get(suite.name) ?? [];
  const outcomes = `${outDir}/${suite.name}-outcomes.json`;
  const run = spawnSync('npx', ['vitest', 'run', '--config', suite.config, '--reporter=default', '--reporter=json',
    '--reporter=./scripts/lib/outcomes-reporter.mjs', `--outputFile.json=${report}`, ...files], {
    stdio: 'inherit',
    env: { ...process.env, TT_OUTCOMES_FILE: outcomes },
  });
  if (existsSync(outcomes)) {
    const named = JSON.parse(readFileSync(outcomes, 'utf8'));
    for (const f of named.failed) failures.push(`${suite.name}: ${f.file} > ${f.name}: ${f.error}`);
    for (const u of named.unhandled) failures.push(`${suite.name}: unhandled error: ${u}`);
    for (const f of named.flaky) flaky.push(`${suite.name}: ${f.file} > ${f.name} (passed after ${f.retries} retr${f.retries === 1 ? 'y' : 'ies'})`);
  }
  if (!existsSync(report)) {
    console.error(`${suite.name}: vitest wrote no report (exit ${run.status})`);
    crashed = true;
    continue;
  }
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + (result.numTodoTests ?? 0);
  // A suite can fail outside any test (unhandled errors, a crashed setup): count that too.
  if (run.status !== 0 && result.numFailedTests === 0) {
    console.error(`${suite.name}: vitest exited with ${run.status} although no test failed (unhandled error or setup failure)`);
    crashed = true;
  }
}

if (crashed) failed += 1;
if (flaky.length) console.warn(`\nPassed only on a retry (fix the race):\n${flaky.map((l) => `  FLAKY ${l}`).join('\n')}`);
if (failures.length) console.error(`\nFailed:\n${failures.map((l) => `  FAILED ${l}`).join('\n')}`);
if (notRun.length) console.warn(`Suites not run (no Chromium): ${notRun.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
