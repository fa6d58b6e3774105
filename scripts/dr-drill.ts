// `npm run dr:drill`: the restore drill (issue 14 point 5, docs/OPERATIONS.md "Restore drill"). Postgres is
// the record; this proves the objects' state can be rebuilt from it and says how long that takes (RTO).
//
// Local (default): against a running `npm start` (TRACETRACK_URL, default http://localhost:8787) and its
// Postgres (DATABASE_URL, default the embedded one at 127.0.0.1:5433). It starts a second Worker on the same
// Postgres with a fresh, empty Durable Object storage (a new --persist-to directory: the running one's
// .wrangler/state is bypassed, not touched), rebuilds the registry there and verifies through its API.
//
// Remote: DRILL_RESTORED_URL names a deployment with empty objects on the same database (e.g. the same code
// deployed as another Worker name pointing at a Neon branch restored to a point in time); the drill rebuilds
// and verifies there.
//
//   TRACETRACK_URL=… ADMIN_USERNAME=admin ADMIN_PASSWORD=… [DATABASE_URL=…] [DRILL_PARENTS=300] [DRILL_BILLS=50]
//     [DRILL_RESTORED_URL=…] [DRILL_PORT=8790] npm run dr:drill
// Exit code 0 when everything is as before, 1 otherwise (or when a step fails).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMain, runMain } from './db/cli';
import { DEFAULT_EMBEDDED_PORT } from './db/embedded';
import { freePortFrom, startStack } from './lib/stack';
import { runDrill, type DrillReport } from './dr/drill';

/** A Worker like `npm start`'s on `databaseUrl`, with object storage in a new empty directory. */
export function freshWorker(databaseUrl: string, port?: number) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-drill-'));
    const stack = await startStack({
      port: port ?? (await freePortFrom(8790)),
      host: '127.0.0.1',
      dataDir: join(dir, 'data'),
      databaseUrl,
      persistTo: join(dir, 'state'),
      buildUi: false,
      quiet: true,
      log: () => undefined,
    });
    return {
      url: stack.url,
      stop: async () => {
        await stack.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

export function printReport(r: DrillReport, log = console.log): void {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  log('');
  log(`Restore drill: ${r.ok ? 'PASSED' : 'FAILED'}`);
  log(`  data: ${r.counts.parents} parents, ${r.counts.children} child bags; ${r.registryQrs} QRs rebuilt into the registry`);
  log(
    `  checked (a sample, not everything): the counters, ${r.sampled.parents} parents (spread over time) with their ${r.childrenInSampledParents} children, ` +
      `${r.sampled.children} child lookups, ${r.sampled.bills} bills, and the one-parent rule`,
  );
  log(`  snapshot of the running deployment ${s(r.ms.snapshot)} (before the clock starts)`);
  if (r.retries.before + r.retries.after > 0) log(`  reads answered 503 and asked again: ${r.retries.before} before, ${r.retries.after} after the restore`);
  log(`  RTO ${s(r.ms.rto)} = start with empty objects ${s(r.ms.start)} + registry rebuild ${s(r.ms.rebuild)} + verification ${s(r.ms.verify)}`);
  log(`  RPO (object storage lost): ${r.atRisk.backlog} acknowledged rows were not yet in Postgres, oldest ${Math.round(r.atRisk.oldestUnflushedSeconds)} s`);
  log(`  one parent per child: ${r.oneParentRule}`);
  for (const d of r.differences.slice(0, 20)) log(`  DIFFERENT: ${d}`);
  if (r.differences.length > 20) log(`  … and ${r.differences.length - 20} more`);
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const sourceUrl = process.env.TRACETRACK_URL ?? 'http://localhost:8787';
    const local = /^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(sourceUrl);
    const username = process.env.ADMIN_USERNAME ?? 'admin';
    const password = process.env.ADMIN_PASSWORD ?? (local ? 'tracetrack-dev' : undefined);
    if (!password) throw new Error('Set ADMIN_PASSWORD (the demo password is only assumed for localhost).');
    const restoredUrl = process.env.DRILL_RESTORED_URL;
    if (!restoredUrl && !local) throw new Error('For a remote deployment set DRILL_RESTORED_URL to a deployment with empty objects on the same database.');
    const databaseUrl = process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${DEFAULT_EMBEDDED_PORT}/postgres`;
    console.log(`Restore drill of ${sourceUrl}${restoredUrl ? ` into ${restoredUrl}` : ' (a second local Worker with empty object state on the same Postgres)'}…`);
    const report = await runDrill({
      sourceUrl,
      restore: restoredUrl ? async () => ({ url: restoredUrl }) : freshWorker(databaseUrl, process.env.DRILL_PORT ? Number(process.env.DRILL_PORT) : undefined),
      username,
      password,
      sampleParents: Number(process.env.DRILL_PARENTS ?? 300),
      sampleBills: Number(process.env.DRILL_BILLS ?? 50),
    });
    printReport(report);
    if (!report.ok) throw new Error(`Restore drill failed: ${report.differences.length} differences.`);
  });
}
