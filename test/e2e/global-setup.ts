// Starts the product once for all e2e files, like `npm start` (scripts/lib/stack.ts) but on fresh state:
// a throwaway data directory (embedded PGlite) or a fresh database on TEST_PG_URL, fresh Durable Object
// storage, a free port. Stops it afterwards (wrangler's whole process group: no orphaned workerd).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { freePortFrom, startStack } from '../../scripts/lib/stack';
import { sharedPostgresPort, sharedStackPort } from './ports';
import { findChromium } from '../../scripts/lib/chromium.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    chromiumPath: string;
  }
}

async function freshDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tt_e2e_${Date.now()}_${process.pid}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await again.end();
    },
  };
}

export default async function setup(project: TestProject) {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('No Chromium found: apt-get install -y chromium, or set CHROMIUM_PATH.');
  const dir = mkdtempSync(join(tmpdir(), 'tt-e2e-'));
  const database = process.env.TEST_PG_URL ? await freshDatabase(process.env.TEST_PG_URL) : null;
  const stack = await startStack({
    port: await freePortFrom(sharedStackPort),
    host: '127.0.0.1',
    dataDir: join(dir, 'data'),
    databaseUrl: database?.url,
    pgPort: database ? undefined : await freePortFrom(sharedPostgresPort),
    persistTo: join(dir, 'wrangler'),
    // run-tests.mjs builds the UI once before the suites; a lone `vitest --config vitest.e2e.config.ts` builds here.
    buildUi: process.env.E2E_SKIP_UI_BUILD !== '1',
    // Each test signs in through the form; the default per-minute limit is for real attackers.
    vars: { LOGIN_ATTEMPTS_PER_MINUTE: '10000' },
    quiet: true,
    log: () => undefined,
  });
  project.provide('baseUrl', stack.url);
  project.provide('chromiumPath', chromiumPath);
  return async () => {
    await stack.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
}
