// `npm run bench:import`: generates a TraitorTrack-shaped database (60,000 parents × 30 children = 1.8 M
// child bags and their links, 1,200 bills, ~1.9 M scans) on the Postgres server of BENCH_PG_URL (default
// DATABASE_URL), a fresh migrated TraceTrack database beside it, and times `import:traitortrack` between
// them: seconds and rows/s per step and in all. With --twice it runs the import again (nothing to add).
//   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:import -- [--parents 60000] [--children 30]
//       [--bills 1200] [--twice] [--keep] [--report FILE]
// The server must allow CREATE DATABASE (the embedded PGlite has one database: use a real Postgres).
import postgres from 'postgres';
import { migrateDatabase } from '../db/migrate';
import { seedDatabase } from '../db/seed';
import { isMain, runMain } from '../db/cli';
import { closeDb, getDb } from '../../src/db/client';
import { DEFAULT_GENERATE, generateTraitorTrack } from '../import/traitortrack/generate';
import { consoleProgress } from '../import/traitortrack/progress';
import { formatSummary, importTraitorTrack } from '../import/traitortrack/run';

function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number`);
  return value;
}

function databaseUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const args = process.argv.slice(2);
    const base = process.env.BENCH_PG_URL ?? process.env.DATABASE_URL;
    if (!base) throw new Error('Set BENCH_PG_URL (or DATABASE_URL) to a Postgres server where this may create two databases.');
    const parents = numberArg(args, '--parents', DEFAULT_GENERATE.parents);
    const childrenPerParent = numberArg(args, '--children', DEFAULT_GENERATE.childrenPerParent);
    const bills = numberArg(args, '--bills', Math.min(DEFAULT_GENERATE.bills, Math.floor(parents / DEFAULT_GENERATE.parentsPerBill)));
    const reportIndex = args.indexOf('--report');
    const names = { source: 'tracetrack_bench_traitortrack', target: 'tracetrack_bench_import' };
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    try {
      for (const name of Object.values(names)) {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.unsafe(`CREATE DATABASE ${name}`);
      }
    } finally {
      await admin.end();
    }
    const source = databaseUrl(base, names.source);
    const target = databaseUrl(base, names.target);
    console.log(`Generating a TraitorTrack database: ${parents} parents × ${childrenPerParent} children, ${bills} bills…`);
    let t = Date.now();
    const generated = await generateTraitorTrack(source, { ...DEFAULT_GENERATE, parents, childrenPerParent, bills, auditRows: Math.min(DEFAULT_GENERATE.auditRows, parents) });
    console.log(`Generated in ${((Date.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(generated)}`);
    await migrateDatabase({ DATABASE_URL: target });
    const db = getDb({ DATABASE_URL: target });
    try {
      await seedDatabase(db, { environment: 'production', databaseUrl: target });
    } finally {
      await closeDb(db);
    }
    const rows = Object.values(generated).reduce((a, b) => a + b, 0);
    for (const pass of args.includes('--twice') ? [1, 2] : [1]) {
      console.log(`\nImport${pass === 2 ? ' again (everything is there already)' : ''}:`);
      t = Date.now();
      const summary = await importTraitorTrack({
        from: source,
        to: target,
        dryRun: false,
        reportFile: reportIndex >= 0 ? args[reportIndex + 1] : undefined,
        parentCapacity: 30,
        timeZone: 'Asia/Kolkata',
        progress: consoleProgress(),
      });
      const seconds = (Date.now() - t) / 1000;
      for (const line of formatSummary(summary)) if (!line.startsWith('      e.g.')) console.log(line);
      console.log(`bench:import pass ${pass}: ${rows} source rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s`);
    }
    if (!args.includes('--keep')) {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      try {
        for (const name of Object.values(names)) await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    }
  });
}
