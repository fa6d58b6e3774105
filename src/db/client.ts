// The only module that knows database drivers. Everything else sees one drizzle `Db`.
//  - Neon (host *.neon.tech), or any URL when NEON_HTTP_ENDPOINT is set: drizzle neon-http over HTTP.
//  - Any other Postgres URL: drizzle postgres-js over TCP (loads in workerd with nodejs_compat, and in Node).
import { neon, neonConfig } from '@neondatabase/serverless';
import { is, type SQL } from 'drizzle-orm';
import { drizzle as drizzleNeon, NeonHttpDatabase } from 'drizzle-orm/neon-http';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres, PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Logger } from 'drizzle-orm/logger';
import postgres from 'postgres';
import { inlineParams } from './inline-params';
import { schema, type Schema } from './schema';

export interface DbEnv {
  DATABASE_URL: string;
  /** Points the Neon HTTP driver at another endpoint (tests: test/support/neon-http-endpoint.ts). */
  NEON_HTTP_ENDPOINT?: string;
}

export interface DbOptions {
  logger?: Logger;
  /** postgres.js only: connections in the client's pool (default 1: one request, one connection). */
  maxConnections?: number;
  /** postgres.js only: seconds an idle connection stays open (default 20). */
  idleTimeoutSeconds?: number;
  /** postgres.js only: named prepared statements, worth it on connections that live long (default off). */
  prepare?: boolean;
  /** postgres.js only: called when one of the client's connections closes. */
  onClose?: () => void;
}

/** What every query module takes: both drivers' databases are PgDatabase underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbDriver = 'neon-http' | 'postgres-js';
export type Row = Record<string, unknown>;

export function isNeonUrl(url: string): boolean {
  try {
    return new URL(url).hostname.endsWith('.neon.tech');
  } catch {
    return false;
  }
}

export function driverFor(env: DbEnv): DbDriver {
  return env.NEON_HTTP_ENDPOINT || isNeonUrl(env.DATABASE_URL) ? 'neon-http' : 'postgres-js';
}

/**
 * A database handle for one request (or one script). In a stateless Worker a TCP socket cannot outlive the
 * request that opened it, so this builds a fresh client every call; for neon-http that is free, and
 * postgres.js connects lazily on the first query.
 */
export function getDb(env: DbEnv, options: DbOptions = {}): Db {
  if (driverFor(env) === 'neon-http') {
    if (env.NEON_HTTP_ENDPOINT) {
      const endpoint = env.NEON_HTTP_ENDPOINT;
      // Global to the driver: fine, since one deployment talks to one endpoint.
      neonConfig.fetchEndpoint = () => endpoint;
    }
    return drizzleNeon({ client: neon(env.DATABASE_URL), schema, logger: options.logger });
  }
  const client = postgres(env.DATABASE_URL, {
    max: options.maxConnections ?? 1,
    // No type-catalogue round trip on connect; arrays are sent as text literals (see pgArray in sql-arrays.ts).
    fetch_types: false,
    // Unnamed statements only: PgBouncer/Hyperdrive-safe and nothing to leak across short-lived clients.
    prepare: options.prepare ?? false,
    idle_timeout: options.idleTimeoutSeconds ?? 20,
    connect_timeout: 10,
    onnotice: () => {},
    ...(options.onClose ? { onclose: options.onClose } : {}),
  });
  return drizzlePostgres({ client, schema, logger: options.logger });
}

export function dbDriver(db: Db): DbDriver {
  return is(db, NeonHttpDatabase) ? 'neon-http' : 'postgres-js';
}

/** Rows of a raw query, whichever driver ran it (neon-http answers {rows}, postgres.js an array). */
export async function queryRows<T extends Row = Row>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const dialect = new PgDialect();

/**
 * Runs statements as one atomic unit, in order, each seeing the effects of the ones before, and returns each
 * statement's rows. neon-http: one HTTP request (a non-interactive transaction). postgres.js: one transaction
 * whose statements are pipelined (BEGIN, all statements, COMMIT: three round trips at least).
 */
export async function runAtomic(db: Db, statements: SQL[]): Promise<Row[][]> {
  if (statements.length === 0) return [];
  if (is(db, NeonHttpDatabase)) {
    const neonDb = db as unknown as NeonHttpDatabase<Schema>;
    const [first, ...rest] = statements.map((s) => neonDb.execute(s));
    const results = await neonDb.batch([first!, ...rest]);
    return results.map((r) => (r as { rows: Row[] }).rows);
  }
  if (is(db, PostgresJsDatabase)) {
    const client = (db as unknown as PostgresJsDatabase<Schema> & { $client: postgres.Sql }).$client;
    const queries = statements.map((s) => dialect.sqlToQuery(s));
    const results = await client.begin((tx) =>
      queries.map((q) => tx.unsafe(q.sql, q.params as postgres.ParameterOrJSON<never>[])),
    );
    return (results as unknown as Row[][]).map((rows) => [...rows]);
  }
  throw new Error('runAtomic: unsupported database driver');
}

/**
 * Like runAtomic, for callers that need the rows of all statements together, not each statement's (the
 * flushes read conflict rows from wherever they come): on postgres.js the statements then travel as ONE
 * simple query message with their parameters inlined (inline-params.ts), which Postgres runs as one implicit
 * transaction: one round trip instead of `sql.begin()`'s BEGIN, a Parse/Describe and a Bind/Execute round
 * trip per parameterized statement, and COMMIT (a three-statement flush: eight). Locally the embedded
 * Postgres has one backend for everyone and every round trip also waits for workerd's busy thread to read
 * the socket, so flushes held it ~85 ms each under the paced load and the flush lag grew to seconds
 * (docs/BENCHMARKS.md, 2026-12-04 evening). Pipelining several messages instead stalled inside workerd.
 * Atomicity is Postgres's: an error skips the rest of the message and rolls the whole of it back.
 */
export async function runAtomicRows(db: Db, statements: SQL[]): Promise<Row[]> {
  if (statements.length === 0) return [];
  if (is(db, PostgresJsDatabase)) {
    const queries = statements.map((s) => dialect.sqlToQuery(s));
    const inlined = queries.map((q) => inlineParams(q.sql, q.params));
    if (inlined.every((q): q is string => q !== null)) {
      const client = (db as unknown as PostgresJsDatabase<Schema> & { $client: postgres.Sql }).$client;
      // Several statements answer a list of results, one statement its rows (postgres.js).
      const result = (await client.unsafe(inlined.join(';\n'))) as unknown as Row[] | Row[][];
      return statements.length > 1 && Array.isArray(result[0]) ? (result as Row[][]).flat() : [...(result as Row[])];
    }
  }
  return (await runAtomic(db, statements)).flat();
}

/** Ends a postgres.js client (Node scripts and tests); a no-op for neon-http, which holds no connection. */
export async function closeDb(db: Db, timeoutSeconds = 5): Promise<void> {
  if (is(db, PostgresJsDatabase)) {
    await (db as unknown as { $client: postgres.Sql }).$client.end({ timeout: timeoutSeconds });
  }
}
