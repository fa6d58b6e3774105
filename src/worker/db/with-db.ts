import { closeDb, getDb, type Db, type DbEnv } from './client';

/**
 * Runs `fn` with a database handle that lives for this call only: in workerd a TCP connection must not
 * outlive the request (or alarm) that opened it. Closing is fire-and-forget so a slow close never delays
 * the answer. (postgres.js' Cloudflare socket polyfill threw on a read error after close; patched in
 * patches/postgres+*.patch.)
 */
export async function withDb<T>(env: DbEnv, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = getDb(env);
  try {
    return await fn(db);
  } finally {
    closeDb(db).catch(() => undefined);
  }
}
