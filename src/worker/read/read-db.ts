// The database handle of read requests (lookup, lists, dashboard, reports). Over TCP (postgres.js) the
// queries go through a PgReader object that keeps its connections open between requests; with neon-http
// (no connection to keep) and for streamed exports, the request's own handle (withDb / openDb) is used.
import { drizzle } from 'drizzle-orm/pg-proxy';
import type { ReadResult } from '../../durable/reader/pg-reader';
import { readerFor } from '../../durable/stubs';
import { driverFor, type Db } from '../../db/client';
import { schema } from '../../db/schema';
import { DatabaseUnavailableError, withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { recordStage } from '../../observability/stage-timing';

/** A drizzle database whose queries run in a PgReader object. */
export function readerDb(env: Env): Db {
  const reader = readerFor(env);
  return drizzle(
    async (text, params) => {
      const started = performance.now();
      const result = (await reader.query(text, params)) as ReadResult;
      // Server-Timing (SERVER_TIMING=true): the whole object call, and the Postgres part of it.
      recordStage('reader', performance.now() - started);
      if (result.ok) {
        recordStage('pg', result.ms);
        return { rows: result.rows };
      }
      if (result.unavailable) throw new DatabaseUnavailableError(result.message);
      // A query error (a bug or bad SQL): logged with its message, answered as INTERNAL by onError.
      throw new Error(`read query failed: ${result.message}`);
    },
    { schema },
  ) as unknown as Db;
}

/** Runs read-only work on the best handle for this deployment's driver. */
export async function withReadDb<T>(env: Env, fn: (db: Db) => Promise<T>): Promise<T> {
  const s = settings(env);
  if (driverFor(s) !== 'postgres-js' || !s.READ_VIA_OBJECT) return withDb(s, fn);
  try {
    return await fn(readerDb(env));
  } catch (err) {
    // drizzle wraps what the driver callback threw; "unavailable" must stay recognisable (503, not 500).
    const cause = (err as { cause?: unknown } | null)?.cause;
    if (cause instanceof DatabaseUnavailableError) throw cause;
    throw err;
  }
}

