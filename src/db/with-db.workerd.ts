import { connect } from 'cloudflare:sockets';
import { closeDb, driverFor, getDb, type Db, type DbEnv } from './client';

/** Longest a unit of database work may take before the caller gives up (alarms retry later). */
export const DB_WORK_TIMEOUT_MS = 8000;
const PROBE_TIMEOUT_MS = 2000;

/**
 * Runs `fn` with a database handle that lives for this call only: in workerd a TCP connection must not
 * outlive the request (or alarm) that opened it.
 *
 * Over TCP, a cheap connect probe goes first. postgres.js retries a refused first connection from
 * timers that outlive the request, where workerd refuses the I/O and the query never settles; the
 * probe turns "Postgres is down" into an immediate error instead. On success the client closes in the
 * background; on failure it is destroyed at once. (postgres.js' Cloudflare socket polyfill also threw
 * on a read error after close: patched in patches/.)
 */
export async function withDb<T>(env: DbEnv, fn: (db: Db) => Promise<T>, timeoutMs = DB_WORK_TIMEOUT_MS): Promise<T> {
  if (driverFor(env) === 'postgres-js') await probeTcp(env.DATABASE_URL);
  const db = getDb(env);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const result = await Promise.race([
      fn(db),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DatabaseUnavailableError(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    closeDb(db).catch(() => undefined);
    return result;
  } catch (err) {
    await closeDb(db, 0).catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A database handle that outlives the handler: for streamed responses (CSV exports), which read page after
 * page while the body is sent. Same reachability probe as withDb; the caller must call `close`.
 */
export async function openDb(env: DbEnv): Promise<{ db: Db; close: () => Promise<void> }> {
  if (driverFor(env) === 'postgres-js') await probeTcp(env.DATABASE_URL);
  const db = getDb(env);
  return { db, close: () => closeDb(db) };
}

/** Postgres could not be reached: callers answer 503 and alarms back off. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export async function probeTcp(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const socket = connect({ hostname: url.hostname, port: Number(url.port || 5432) });
  // A refused connection also rejects `closed`; nobody else awaits it, so it must not surface as unhandled.
  socket.closed.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      socket.opened,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no connection to Postgres within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    throw new DatabaseUnavailableError(`Postgres at ${url.hostname}:${url.port || 5432} is unreachable: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
    socket.close().catch(() => undefined);
  }
}
