// Runs in Node before the workerd tests: a real Postgres (Debian's server when TEST_PG_URL is set,
// otherwise the embedded PGlite), migrated and seeded, reached through a proxy the tests can cut.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../../scripts/db/embedded';
import { migrateDatabase } from '../../scripts/db/migrate';
import { seedDatabase } from '../../scripts/db/seed';
import { closeDb, getDb } from '../../src/db/client';
import { startFaultProxy } from '../support/fault-proxy';
import { importFixture } from '../support/traitortrack-import';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    directDatabaseUrl: string;
    dbControlUrl: string;
    dbTarget: string;
    /** Why importing the TraitorTrack fixture failed (test/workers/import.test.ts reports it), or ''. */
    importError: string;
  }
}

async function freshDatabase(baseUrl: string): Promise<string> {
  const name = `tt_workers_${Date.now()}_${process.pid}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  const cleanups: Array<() => Promise<void> | void> = [];
  let directUrl: string;
  let target: string;
  if (process.env.TEST_PG_URL) {
    directUrl = await freshDatabase(process.env.TEST_PG_URL);
    target = 'postgresql-server';
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'tt-pglite-'));
    const embedded = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
    cleanups.push(() => embedded.stop(), () => rmSync(dir, { recursive: true, force: true }));
    directUrl = embedded.url;
    target = 'embedded-pglite';
  }
  await migrateDatabase({ DATABASE_URL: directUrl });
  const db = getDb({ DATABASE_URL: directUrl });
  await seedDatabase(db, { environment: 'development', databaseUrl: directUrl });
  await closeDb(db);
  // The TraitorTrack fixture is imported before any test runs (its QRs and dates are its own), so the
  // import's counter recount never races a test's flush.
  const importError = await importFixture(directUrl, cleanups);
  const proxy = await startFaultProxy(directUrl);
  cleanups.push(() => proxy.stop());

  project.provide('databaseUrl', proxy.url);
  project.provide('directDatabaseUrl', directUrl);
  project.provide('dbControlUrl', proxy.controlUrl);
  project.provide('dbTarget', target);
  project.provide('importError', importError);

  return async () => {
    for (const cleanup of cleanups.reverse()) {
      // A stuck cleanup must not hang the run; the process ends right after.
      await Promise.race([Promise.resolve(cleanup()), new Promise((r) => setTimeout(r, 10_000))]);
    }
  };
}
