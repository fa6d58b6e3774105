// The whole product on one machine, as a library: `npm start` and the end-to-end tests both use it.
// Postgres (embedded PGlite unless a URL is given), migrations, seed, the UI build, then `wrangler dev` in its
// own process group so stopping it also stops the workerd processes it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { closeDb, getDb } from '../../src/db/client';
import { seedDatabase } from '../db/seed';
import { DEFAULT_EMBEDDED_PORT, startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { readableLogs } from './log-format';

export function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port, host);
  });
}

export async function freePortFrom(start: number): Promise<number> {
  for (let port = start; port < start + 50; port++) if (await portIsFree(port, '127.0.0.1')) return port;
  throw new Error(`no free port between ${start} and ${start + 49}`);
}

/** A local signing secret, kept across restarts so sessions survive them; never used in production. */
function localSessionSecret(dataDir: string): string {
  const file = `${dataDir}/session-secret`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function run(command: string, args: string[], quiet: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
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

/** The checked-out commit (with -dirty when the tree has changes), for /health/detailed and /metrics. */
export function gitRevision(): string {
  if (process.env.GIT_REVISION) return process.env.GIT_REVISION;
  const rev = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' });
  if (rev.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout.trim() !== '';
  return `${rev.stdout.trim()}${dirty ? '-dirty' : ''}`;
}

export interface StackOptions {
  port: number;
  host: string;
  /** Embedded Postgres data and the local session secret live here. */
  dataDir: string;
  /** Use this Postgres instead of starting the embedded one. */
  databaseUrl?: string;
  /** Fixed port for the embedded Postgres; otherwise the first free one from 5433. */
  pgPort?: number;
  /** wrangler's Durable Object storage; default .wrangler/state. */
  persistTo?: string;
  buildUi: boolean;
  /** Extra `--var NAME:value` pairs for the Worker. */
  vars?: Record<string, string>;
  wranglerLogLevel?: string;
  /** Fewer lines on the console (tests). */
  quiet?: boolean;
  /** 'readable' (default): the Worker's JSON log lines shown as text; 'json': as they are. */
  logFormat?: 'readable' | 'json';
  /** Receives the Worker's output (stdout and stderr, raw lines) in addition to the console; for tests. */
  onOutput?: (chunk: string) => void;
  log?: (line: string) => void;
}

export interface Stack {
  url: string;
  databaseUrl: string;
  /** Whether the demo logins exist (local databases only). */
  demoUsers: boolean;
  /** Resolves when wrangler dev exits, with its exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts everything; on any failure stops what was already started and rethrows. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!(await portIsFree(options.port, options.host))) {
    throw new Error(`Port ${options.port} on ${options.host} is already in use: stop whatever runs there, or choose another port (PORT=8788).`);
  }

  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = options.databaseUrl;
  let wrangler: ChildProcess | null = null;
  let demoUsers = false;

  const stop = async () => {
    if (wrangler && wrangler.exitCode === null && wrangler.signalCode === null && wrangler.pid !== undefined) {
      const child = wrangler;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await embedded?.stop().catch(() => undefined);
    embedded = null;
  };

  try {
    if (!databaseUrl) {
      const port = options.pgPort ?? (await freePortFrom(DEFAULT_EMBEDDED_PORT));
      embedded = await startEmbeddedPostgres({ dataDir: `${options.dataDir}/pglite`, port });
      databaseUrl = embedded.url;
      log(`Embedded Postgres (PGlite) on ${databaseUrl}, data in ${options.dataDir}/pglite`);
    } else {
      log('Using the Postgres named by DATABASE_URL');
    }

    await migrateDatabase({ DATABASE_URL: databaseUrl });
    const db = getDb({ DATABASE_URL: databaseUrl });
    // Demo users (public password) only into the embedded or another local database, never a remote one.
    const report = await seedDatabase(db, { environment: 'development', databaseUrl });
    await closeDb(db);
    demoUsers = report.demoUsersSkipped === undefined;
    if (report.usersCreated.length) log(`Seeded demo users: ${report.usersCreated.join(', ')}`);
    if (report.demoUsersSkipped === 'remote_database') {
      log('DATABASE_URL is not a database on this machine: no demo users were seeded (sign in with an account of that database).');
    }
    if (options.buildUi) await run('npx', ['vite', 'build', '--logLevel', 'warn'], options.quiet ?? false);

    const vars = {
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: localSessionSecret(options.dataDir),
      ENVIRONMENT: 'development',
      GIT_REVISION: gitRevision(),
      ...options.vars,
    };
    wrangler = spawn(
      'node_modules/.bin/wrangler',
      [
        'dev',
        // bench:capacity (scripts/bench/capacity.ts): another Worker entry around the product's, never deployed.
        ...(process.env.WRANGLER_MAIN ? [process.env.WRANGLER_MAIN] : []),
        '--port', String(options.port),
        '--ip', options.host,
        ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
        '--show-interactive-dev-session=false',
        '--log-level', options.wranglerLogLevel ?? 'warn',
        ...(options.persistTo ? ['--persist-to', options.persistTo] : []),
        // Profiling (docs/BENCHMARKS.md): WRANGLER_INSPECTOR_PORT opens workerd's inspector for scripts/bench/profile.ts.
        ...(process.env.WRANGLER_INSPECTOR_PORT ? ['--inspector-port', process.env.WRANGLER_INSPECTOR_PORT] : []),
      ],
      // Its own process group (detached), so one kill reaches workerd too. Output goes through the log formatter.
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const child = wrangler;
    const colour = process.stdout.isTTY === true;
    const format = options.logFormat ?? (process.env.LOG_FORMAT === 'json' ? 'json' : 'readable');
    for (const [stream, target] of [[child.stdout!, process.stdout], [child.stderr!, process.stderr]] as const) {
      if (options.onOutput) stream.on('data', (chunk: Buffer) => options.onOutput!(chunk.toString('utf8')));
      if (options.quiet && stream === child.stdout) {
        stream.resume();
        continue;
      }
      if (format === 'json') stream.pipe(target);
      else stream.pipe(readableLogs(colour)).pipe(target);
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = `http://${options.host === '127.0.0.1' ? 'localhost' : options.host}:${options.port}`;
    await waitForHealth(url, child);
    return { url, databaseUrl, demoUsers, exited, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
