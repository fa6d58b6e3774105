// `npm test`: every suite, then one plain totals line (`N passed, M failed`) that CI reads.
//   plain Node  (vitest.node.config.ts):    pure logic and the Postgres layer against real Postgres
//   workerd     (vitest.workers.config.ts): the Worker and Durable Objects inside the Workers runtime
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const suites = [
  { name: 'node', config: 'vitest.node.config.ts' },
  { name: 'workers', config: 'vitest.workers.config.ts' },
];
const only = process.argv.slice(2);
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
for (const suite of suites.filter((s) => only.length === 0 || only.includes(s.name))) {
  const report = `${outDir}/${suite.name}.json`;
  console.log(`\n=== ${suite.name} tests (${suite.config}) ===`);
  const run = spawnSync('npx', ['vitest', 'run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
    stdio: 'inherit',
  });
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
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
