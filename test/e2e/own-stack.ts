// A stack of its own for a test file that must not touch the suite's shared one (alerts stops its Postgres,
// dr-drill empties the objects' storage): an embedded PGlite and a Worker on it, in a temporary folder, on
// the ports of ./ports.ts. Postgres can be stopped and started again on the same data and port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/db/embedded';
import { freePortFrom, startStack, type Stack } from '../../scripts/lib/stack';
import { ownPostgresPort, ownStackPort } from './ports';

export interface OwnStack {
  /** The Worker's origin. */
  url: string;
  /** The embedded Postgres (same URL across a stop and start). */
  databaseUrl: string;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  /** Stops the Worker and Postgres and removes the folder. */
  stop(): Promise<void>;
}

/** `name` names the temporary folder; `vars` are the Worker's extra variables. */
export async function startOwnStack(name: string, vars?: Record<string, string>): Promise<OwnStack> {
  const dir = mkdtempSync(join(tmpdir(), `tt-${name}-`));
  const pgOptions = { dataDir: join(dir, 'pglite'), port: await freePortFrom(ownPostgresPort) };
  let pg: EmbeddedPostgres | null = null;
  let stack: Stack | null = null;
  const stop = async () => {
    await stack?.stop();
    await pg?.stop();
    pg = null;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    pg = await startEmbeddedPostgres(pgOptions);
    stack = await startStack({
      port: await freePortFrom(ownStackPort),
      host: '127.0.0.1',
      dataDir: join(dir, 'data'),
      databaseUrl: pg.url,
      persistTo: join(dir, 'wrangler'),
      // The suite's global set-up built the UI already; these tests only call the API.
      buildUi: false,
      ...(vars ? { vars } : {}),
      quiet: true,
      log: () => undefined,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const url = stack.url;
  const databaseUrl = pg.url;
  return {
    url,
    databaseUrl,
    async stopPostgres() {
      await pg?.stop();
      pg = null;
    },
    async startPostgres() {
      pg ??= await startEmbeddedPostgres(pgOptions);
    },
    stop,
  };
}
