// Embedded Postgres for local runs and tests: PGlite (Postgres compiled to WASM, one in-process backend)
// served over the Postgres wire protocol by pglite-socket, persisted under a git-ignored data directory.
//   tsx scripts/db/embedded.ts [--port 5433] [--data-dir .data/pglite] [--host 127.0.0.1]
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { isMain } from './cli';
import { instrumentPglite } from './pglite-timing';

export interface EmbeddedOptions {
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Client connections served at once; all share PGlite's single backend, queued per message. */
  maxConnections?: number;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export const DEFAULT_EMBEDDED_PORT = 5433;

export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir ?? '.data/pglite');
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_EMBEDDED_PORT;
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  // Profiling aid (docs/BENCHMARKS.md, issue 15): statement times and how busy the one backend is.
  const stopTiming = process.env.PGLITE_TIMING === '1' ? instrumentPglite(db, Number(process.env.PGLITE_TIMING_EVERY_MS ?? 5000)) : () => undefined;
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: options.maxConnections ?? 64 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(`Embedded Postgres: port ${port} on ${host} is already in use (another embedded server or a Postgres?). Stop it or choose another port.`);
    }
    throw error;
  }
  const actualPort = Number(server.getServerConn().split(':').pop());
  let stopped = false;
  return {
    // PGlite accepts any user and password; its one database is called "postgres".
    url: `postgres://postgres:postgres@${host}:${actualPort}/postgres`,
    port: actualPort,
    async stop() {
      if (stopped) return;
      stopped = true;
      stopTiming();
      await server.stop();
      await db.close();
    },
  };
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const portText = argValue(args, '--port') ?? process.env.EMBEDDED_PG_PORT;
  const server = await startEmbeddedPostgres({
    dataDir: argValue(args, '--data-dir') ?? process.env.EMBEDDED_PG_DATA_DIR,
    host: argValue(args, '--host'),
    port: portText === undefined ? undefined : Number(portText),
  });
  console.log(server.url);
  const shutdown = () => {
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (isMain(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
