// For the workerd suite's global setup: builds the TraitorTrack fixture in a second database (Debian's
// server with TEST_PG_URL, else another embedded PGlite) and imports it into the suite's database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../../scripts/db/embedded';
import { silentProgress } from '../../scripts/import/traitortrack/progress';
import { importTraitorTrack } from '../../scripts/import/traitortrack/run';
import { buildTraitorTrackFixture } from './traitortrack-fixture';

/** Imports the fixture into `targetUrl`; returns '' or the error's message. Cleanups are appended. */
export async function importFixture(targetUrl: string, cleanups: Array<() => Promise<void> | void>): Promise<string> {
  try {
    let sourceUrl: string;
    if (process.env.TEST_PG_URL) {
      const name = `tt_traitortrack_${Date.now()}_${process.pid}`;
      const admin = postgres(process.env.TEST_PG_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(process.env.TEST_PG_URL);
      url.pathname = `/${name}`;
      sourceUrl = url.toString();
      cleanups.push(async () => {
        const a = postgres(process.env.TEST_PG_URL!, { max: 1, onnotice: () => {} });
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => a.end());
      });
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'tt-traitortrack-'));
      const embedded = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
      cleanups.push(() => embedded.stop(), () => rmSync(dir, { recursive: true, force: true }));
      sourceUrl = embedded.url;
    }
    await buildTraitorTrackFixture(sourceUrl);
    await importTraitorTrack({ from: sourceUrl, to: targetUrl, dryRun: false, parentCapacity: 30, timeZone: 'Asia/Kolkata', progress: silentProgress(), actor: 'workers-suite' });
    return '';
  } catch (error) {
    return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  }
}
