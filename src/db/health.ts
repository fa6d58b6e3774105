// Database reachability for /health/detailed: one trivial round trip, timed.
import { sql } from 'drizzle-orm';
import type { Db } from './client';

/** Milliseconds for a `select 1` round trip; throws when the database is unreachable. */
export async function pingDb(db: Db): Promise<number> {
  const started = performance.now();
  await db.execute(sql`select 1`);
  return Math.round((performance.now() - started) * 100) / 100;
}
