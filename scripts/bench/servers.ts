// Starts what bench:scan measures: the product (scripts/start.ts on fresh state) and the bare baseline.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Running {
  url: string;
  databaseUrl: string | null;
  stop(): Promise<void>;
}

/** Ports handed out from BENCH_PORT_BASE (a machine shared by several runs gives each its own range). */
let nextBenchPort = Number(process.env.BENCH_PORT_BASE ?? 0);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer().once('error', () => resolve(false)).once('listening', () => probe.close(() => resolve(true)));
    probe.listen(port, '127.0.0.1');
  });
}

/** A free port: the next free one from BENCH_PORT_BASE when set (never one handed out before), else any. */
export async function freePort(): Promise<number> {
  if (nextBenchPort > 0) {
    for (let tries = 0; tries < 100; tries++) {
      const port = nextBenchPort++;
      if (await portFree(port)) return port;
    }
    throw new Error('no free port in the 100 from BENCH_PORT_BASE');
  }
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode})`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid, 'SIGINT');
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
      resolve();
    }, 8000);
  });
}

/**
 * The whole product: embedded Postgres unless DATABASE_URL is set, on fresh state, or on the state in
 * `dir` (and the embedded Postgres port `pgPort`) of an earlier start, to restart after a crash.
 */
export async function startProduct(reuse?: { dir: string; pgPort: number }): Promise<Running & { dir: string; pgPort: number; pid: number }> {
  const port = await freePort();
  const pgPort = reuse?.pgPort ?? (await freePort());
  const dir = reuse?.dir ?? mkdtempSync(join(tmpdir(), 'tt-bench-'));
  const databaseUrl = process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;
  const child = spawn('node_modules/.bin/tsx', ['scripts/start.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: join(dir, 'data'), PERSIST_TO: join(dir, 'wrangler'), PG_PORT: String(pgPort) },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`, child);
  return { url, databaseUrl, dir, pgPort, pid: child.pid!, stop: () => stopGroup(child) };
}

export async function startBaseline(): Promise<Running & { pid: number }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tt-bench-base-'));
  const child = spawn(
    'node_modules/.bin/wrangler',
    ['dev', '-c', 'scripts/bench/baseline/wrangler.toml', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', dir, '--log-level', 'error', '--show-interactive-dev-session=false'],
    { stdio: ['ignore', 'inherit', 'inherit'], detached: true },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/`, child);
  return { url, databaseUrl: null, pid: child.pid!, stop: () => stopGroup(child) };
}
