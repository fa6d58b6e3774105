// Applies migrations/ to a database with drizzle's migrator (it records applied ones in drizzle.__drizzle_migrations).
//   DATABASE_URL=postgres://… tsx scripts/db/migrate.ts
import { fileURLToPath } from 'node:url';
import { migrate as migrateNeonHttp } from 'drizzle-orm/neon-http/migrator';
import type { NeonHttpDatabase } from 'drizzle-orm/neon-http';
import { migrate as migratePostgresJs } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { closeDb, dbDriver, getDb, type Db, type DbEnv } from '../../src/db/client';
import type { Schema } from '../../src/db/schema';
import { isMain, requireDatabaseUrl, runMain } from './cli';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Applies pending migrations using an open handle. */
export async function migrateDb(db: Db, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (dbDriver(db) === 'neon-http') {
    // Neon over HTTP has no interactive transactions: drizzle applies each statement on its own.
    await migrateNeonHttp(db as unknown as NeonHttpDatabase<Schema>, { migrationsFolder });
  } else {
    await migratePostgresJs(db as unknown as PostgresJsDatabase<Schema>, { migrationsFolder });
  }
}

/** Opens DATABASE_URL, applies pending migrations, closes. */
export async function migrateDatabase(env: DbEnv, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  const db = getDb(env);
  try {
    await migrateDb(db, migrationsFolder);
  } finally {
    await closeDb(db);
  }
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    await migrateDatabase({ DATABASE_URL: requireDatabaseUrl(), NEON_HTTP_ENDPOINT: process.env.NEON_HTTP_ENDPOINT });
    console.log('migrations applied');
  });
}
