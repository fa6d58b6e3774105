import { env } from 'cloudflare:test';
import { sql, type SQL } from 'drizzle-orm';
import { closeDb, getDb, queryRows, type Row } from '../../src/db/client';

/** Reads Postgres directly (not through the fault proxy), as an observer of what the flush wrote. */
export async function rows<T extends Row = Row>(query: SQL): Promise<T[]> {
  const db = getDb({ DATABASE_URL: env.DIRECT_DATABASE_URL });
  try {
    return await queryRows<T>(db, query);
  } finally {
    // One connection per call, closed at once: many calls (the fuzz test) must not exhaust max_connections.
    await closeDb(db).catch(() => undefined);
  }
}

export async function count(query: SQL): Promise<number> {
  const [row] = await rows<{ n: string | number }>(query);
  return Number(row?.n ?? 0);
}

export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function setDatabase(up: boolean): Promise<void> {
  const res = await fetch(`${env.DB_CONTROL_URL}/${up ? 'up' : 'down'}`, { method: 'POST' });
  if (!res.ok) throw new Error('fault proxy control failed');
}

export { sql };
