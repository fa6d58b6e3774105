// `npm start`: the whole product on one machine. Starts the embedded Postgres (unless DATABASE_URL names
// another), applies migrations, seeds the dispatch areas and the demo logins (local development only),
// builds the UI, runs `wrangler dev`, prints the URL and logins, and stops everything on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { closeDb, getDb } from '../src/worker/db/client';
import { DEV_PASSWORD, DEV_USERS, seedDatabase } from './db/seed';
import { DEFAULT_EMBEDDED_PORT, startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded';
import { migrateDatabase } from './db/migrate';

const PORT = Number(process.env.PORT ?? 8787);
const HOST = process.env.HOST ?? '127.0.0.1';
// Overridable so benchmarks can run on a fresh, throwaway state.
const DATA_DIR = process.env.DATA_DIR ?? '.data';
const PERSIST_TO = process.env.PERSIST_TO; // wrangler's Durable Object storage; default .wrangler/state

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port, host);
  });
}

async function freePortFrom(start: number): Promise<number> {
  for (let port = start; port < start + 50; port++) if (await portIsFree(port, '127.0.0.1')) return port;
  throw new Error(`no free port for the embedded Postgres between ${start} and ${start + 49}`);
}

/** A local signing secret, kept across restarts so sessions survive them; never used in production. */
function localSessionSecret(): string {
  const file = `${DATA_DIR}/session-secret`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error('wrangler dev stopped during start-up (see its output above)');
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`TraceTrack did not answer on ${url}/health within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  if (!(await portIsFree(PORT, HOST))) {
    console.error(`Port ${PORT} on ${HOST} is already in use: stop whatever runs there, or start on another port with PORT=8788 npm start.`);
    process.exit(1);
  }

  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    // PG_PORT is taken as given (tools that restart on the same data need the same URL); otherwise the
    // first free port from 5433 up.
    const port = process.env.PG_PORT ? Number(process.env.PG_PORT) : await freePortFrom(DEFAULT_EMBEDDED_PORT);
    embedded = await startEmbeddedPostgres({ dataDir: `${DATA_DIR}/pglite`, port });
    databaseUrl = embedded.url;
    console.log(`Embedded Postgres (PGlite) on ${databaseUrl}, data in ${DATA_DIR}/pglite`);
  } else {
    console.log('Using the Postgres named by DATABASE_URL');
  }

  const stopAll: Array<() => Promise<void> | void> = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stopAll.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    await migrateDatabase({ DATABASE_URL: databaseUrl });
    const db = getDb({ DATABASE_URL: databaseUrl });
    const report = await seedDatabase(db, { environment: 'development' });
    await closeDb(db);
    if (report.usersCreated.length) console.log(`Seeded demo users: ${report.usersCreated.join(', ')}`);
    if (process.env.SKIP_UI_BUILD !== '1') await run('npx', ['vite', 'build', '--logLevel', 'warn']);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await shutdown(1);
  }

  // Its own process group, so stopping it also stops the workerd processes it starts.
  const wrangler = spawn(
    'node_modules/.bin/wrangler',
    [
      'dev',
      '--port', String(PORT),
      '--ip', HOST,
      '--var', `DATABASE_URL:${databaseUrl}`,
      '--var', `SESSION_SECRET:${localSessionSecret()}`,
      '--var', 'ENVIRONMENT:development',
      '--show-interactive-dev-session=false',
      '--log-level', process.env.WRANGLER_LOG ?? 'warn',
      ...(PERSIST_TO ? ['--persist-to', PERSIST_TO] : []),
      // Tuning knobs passed through for benchmarks and experiments.
      ...['FLUSH_DELAY_MS', 'PARENT_FLUSH_DELAY_MS', 'FLUSH_SHARDS', 'REGISTRY_SHARDS', 'NEON_HTTP_ENDPOINT'].flatMap((k) => (process.env[k] ? ['--var', `${k}:${process.env[k]}`] : [])),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], detached: true },
  );
  stopAll.push(async () => {
    if (wrangler.exitCode !== null || wrangler.pid === undefined) return;
    const exited = new Promise((resolve) => wrangler.once('exit', resolve));
    process.kill(-wrangler.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (wrangler.exitCode === null) process.kill(-wrangler.pid, 'SIGKILL');
  });
  wrangler.on('exit', (code) => {
    if (!stopping) {
      console.error(`wrangler dev exited (${code}).`);
      void shutdown(code ?? 1);
    }
  });

  const url = `http://${HOST === '127.0.0.1' ? 'localhost' : HOST}:${PORT}`;
  try {
    await waitForHealth(url, wrangler);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await shutdown(1);
  }
  console.log(`\nTraceTrack is running on ${url}`);
  console.log(`Demo logins (local development only), password "${DEV_PASSWORD}":`);
  for (const u of DEV_USERS) console.log(`  ${u.username.padEnd(12)} ${u.role.padEnd(11)} ${u.area ?? 'all areas'}`);
  console.log('Press Ctrl-C to stop.\n');
}

void main();
