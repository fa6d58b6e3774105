// PgReader: holds open Postgres connections for the read side (lookup, lists, dashboard, reports).
//
// Why an object: a stateless Worker request may not keep a TCP socket beyond itself, so over TCP every
// read request paid a probe, a connection handshake and a Postgres backend start (~15–20 ms here) for a
// query that takes 1 ms. A Durable Object lives on between requests and may keep its sockets, so a read
// costs one RPC plus the query. Several objects (READ_SHARDS, picked at random) share the load. Neon over
// HTTP has no connection to keep, so the neon-http driver bypasses this object (see worker/read/read-db.ts).
import { DurableObject } from 'cloudflare:workers';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { getDb, type Db, type Row } from '../../db/client';
import { DB_WORK_TIMEOUT_MS, DatabaseUnavailableError, probeTcp } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import type { Schema } from '../../db/schema';

/** `ms`: the query's round trip to Postgres as this object saw it (the caller's Server-Timing `pg`). */
export type ReadResult = { ok: true; rows: Row[]; ms: number } | { ok: false; unavailable: boolean; message: string };

/** Connections each reader keeps: queries of concurrent requests run side by side. */
const CONNECTIONS = 4;

export class PgReader extends DurableObject<Env> {
  private db: Db | null = null;
  private client: postgres.Sql | null = null;

  private pool(): postgres.Sql {
    if (!this.client) {
      // Drizzle's postgres-js setup (timestamps as text, no type fetch) with a few long-lived connections;
      // prepared statements, since the same list/lookup texts come back on the same connections.
      // A closed connection (Postgres gone, restarted, or idle timeout) retires the whole client: the next
      // query probes first, so postgres.js never retries a refused connect from its own timers.
      this.db = getDb(settings(this.env), { maxConnections: CONNECTIONS, idleTimeoutSeconds: 60, prepare: true, onClose: () => this.reset() });
      this.client = (this.db as unknown as PostgresJsDatabase<Schema> & { $client: postgres.Sql }).$client;
    }
    return this.client;
  }

  async query(text: string, params: unknown[]): Promise<ReadResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      if (!this.client) await probeTcp(settings(this.env).DATABASE_URL);
      const client = this.pool();
      const started = performance.now();
      const rows = await Promise.race([
        client.unsafe(text, params as postgres.ParameterOrJSON<never>[]),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new DatabaseUnavailableError(`database did not answer within ${DB_WORK_TIMEOUT_MS} ms`)), DB_WORK_TIMEOUT_MS);
        }),
      ]);
      return { ok: true, rows: [...rows] as Row[], ms: performance.now() - started };
    } catch (err) {
      const unavailable = err instanceof DatabaseUnavailableError || isConnectionError(err);
      if (unavailable) this.reset();
      return { ok: false, unavailable, message: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops the connections so the next query reconnects (after Postgres restarts or a timeout). */
  private reset(): void {
    const client = this.client;
    if (!client) return;
    this.client = null;
    this.db = null;
    client?.end({ timeout: 0 }).catch(() => undefined);
  }
}

/**
 * Anything that is not an error Postgres answered about the query itself (a SQLSTATE outside the
 * connection classes 08 and 57) means the database could not be reached: lost sockets, refused
 * connections, timeouts, shutdowns.
 */
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const answeredByPostgres = typeof e?.severity === 'string' && /^[0-9A-Z]{5}$/.test(code);
  return !answeredByPostgres || code.startsWith('08') || code.startsWith('57');
}
