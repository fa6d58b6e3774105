// Postgres targets for database tests. Every run gets a fresh, migrated database:
//  - 'embedded': PGlite served over the wire (scripts/db/embedded.ts) on a free port, in a new temp data dir;
//  - 'server':   when TEST_PG_URL is set (CI: Debian's PostgreSQL), a uniquely named database created there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../../scripts/db/embedded';
import { migrateDatabase } from '../../scripts/db/migrate';
import { closeDb, getDb, type Db, type DbDriver } from '../../src/db/client';

export type TargetName = 'embedded' | 'server';

export interface PgTarget {
  name: TargetName;
  url: string;
  stop(): Promise<void>;
}

/** Targets this run tests against: always the embedded server, plus TEST_PG_URL's server when set. */
export function targetNames(): TargetName[] {
  return process.env.TEST_PG_URL ? ['embedded', 'server'] : ['embedded'];
}

export async function startTarget(name: TargetName, options: { migrate?: boolean } = {}): Promise<PgTarget> {
  const target = name === 'embedded' ? await startEmbeddedTarget() : await createServerDatabase();
  if (options.migrate !== false) {
    try {
      await migrateDatabase({ DATABASE_URL: target.url });
    } catch (error) {
      await target.stop();
      throw error;
    }
  }
  return target;
}

async function startEmbeddedTarget(): Promise<PgTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tracetrack-pglite-'));
  const server = await startEmbeddedPostgres({ dataDir, port: 0 });
  return {
    name: 'embedded',
    url: server.url,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function createServerDatabase(): Promise<PgTarget> {
  const baseUrl = process.env.TEST_PG_URL;
  if (!baseUrl) throw new Error('TEST_PG_URL is not set');
  const name = `tracetrack_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name: 'server',
    url: url.toString(),
    async stop() {
      const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** A drizzle handle on the target through the chosen driver (neon-http needs the local endpoint's URL). */
export function dbFor(target: PgTarget, driver: DbDriver, neonEndpointUrl?: string): Db {
  if (driver === 'neon-http') {
    if (!neonEndpointUrl) throw new Error('neon-http needs the local endpoint URL');
    return getDb({ DATABASE_URL: target.url, NEON_HTTP_ENDPOINT: neonEndpointUrl });
  }
  return getDb({ DATABASE_URL: target.url });
}

/** Empties every application table (not the migrations record), so tests in one file start clean. */
export async function truncateAll(db: Db): Promise<void> {
  await db.execute(sql`TRUNCATE flush_conflicts, counters, audit_log, return_ticket_parents, return_tickets, bill_bags, bills, scans, link_events, links, bags, users, areas, import_anomalies, import_runs, import_staging, import_id_map RESTART IDENTITY CASCADE`);
}

export { closeDb };
