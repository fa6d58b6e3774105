// Seeds the default dispatch areas and, in development only, demo users. Safe to re-run: nothing is
// duplicated and changed passwords are kept unless a reset is asked for.
//   DATABASE_URL=… [ENVIRONMENT=development] tsx scripts/db/seed.ts [--dev-users] [--reset-dev-passwords]
import { inArray, sql } from 'drizzle-orm';
import { hashPassword } from '../../src/worker/auth/password';
import { closeDb, getDb, type Db } from '../../src/worker/db/client';
import { areas, users } from '../../src/worker/db/schema';
import type { Role } from '../../src/shared/types';
import { isMain, requireDatabaseUrl, runMain } from './cli';

export const DEFAULT_AREAS = [
  'Lucknow', 'Indore', 'Jaipur', 'Hisar', 'Sri Ganganagar', 'Sangaria', 'Bathinda', 'Raipur', 'Ranchi', 'Akola',
] as const;

export const DEV_PASSWORD = 'tracetrack-dev';

export const DEV_USERS: ReadonlyArray<{ username: string; role: Role; area: string | null }> = [
  { username: 'admin', role: 'admin', area: null },
  { username: 'supervisor', role: 'supervisor', area: 'Lucknow' },
  { username: 'biller', role: 'biller', area: null },
  { username: 'dispatcher', role: 'dispatcher', area: 'Lucknow' },
  { username: 'dispatcher2', role: 'dispatcher', area: 'Indore' },
];

export interface SeedOptions {
  /** The deployment's ENVIRONMENT; demo users exist only in 'development'. */
  environment: string | undefined;
  /** Demand demo users: refused (throws) outside development rather than silently skipped. */
  devUsers?: boolean;
  /** Set demo users' passwords back to DEV_PASSWORD even if they were changed. */
  resetDevPasswords?: boolean;
}

export interface SeedReport {
  areasCreated: number;
  usersCreated: string[];
  passwordsReset: string[];
}

export async function seedDatabase(db: Db, options: SeedOptions): Promise<SeedReport> {
  const isDevelopment = options.environment === 'development';
  if (options.devUsers && !isDevelopment) {
    throw new Error(`Refusing to create demo users: ENVIRONMENT is "${options.environment ?? ''}", not "development".`);
  }
  const created = await db
    .insert(areas)
    .values(DEFAULT_AREAS.map((name) => ({ name })))
    .onConflictDoNothing({ target: areas.name })
    .returning({ id: areas.id });
  const report: SeedReport = { areasCreated: created.length, usersCreated: [], passwordsReset: [] };
  if (!isDevelopment) return report;

  const areaRows = await db.select({ id: areas.id, name: areas.name }).from(areas);
  const areaId = new Map(areaRows.map((a) => [a.name, a.id]));
  const names = DEV_USERS.map((u) => u.username);
  const existing = await db
    .select({ id: users.id, username: sql<string>`lower(${users.username})` })
    .from(users)
    .where(inArray(sql`lower(${users.username})`, names));
  const existingNames = new Set(existing.map((u) => u.username));

  for (const user of DEV_USERS) {
    if (existingNames.has(user.username)) continue;
    const inserted = await db
      .insert(users)
      .values({
        username: user.username,
        passwordHash: await hashPassword(DEV_PASSWORD),
        role: user.role,
        areaId: user.area === null ? null : (areaId.get(user.area) ?? null),
      })
      // A concurrent seed may have won the race; the unique index on lower(username) keeps one row.
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (inserted.length > 0) report.usersCreated.push(user.username);
  }
  if (options.resetDevPasswords) {
    for (const u of existing) {
      await db
        .update(users)
        .set({ passwordHash: await hashPassword(DEV_PASSWORD), passwordChangedAt: sql`now()`, failedLogins: 0, lockedUntil: null })
        .where(sql`${users.id} = ${u.id}`);
      report.passwordsReset.push(u.username);
    }
  }
  return report;
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const args = process.argv.slice(2);
    const db = getDb({ DATABASE_URL: requireDatabaseUrl(), NEON_HTTP_ENDPOINT: process.env.NEON_HTTP_ENDPOINT });
    try {
      const report = await seedDatabase(db, {
        environment: process.env.ENVIRONMENT,
        devUsers: args.includes('--dev-users'),
        resetDevPasswords: args.includes('--reset-dev-passwords'),
      });
      console.log(`areas created: ${report.areasCreated}; users created: ${report.usersCreated.join(', ') || 'none'}` +
        (report.passwordsReset.length ? `; passwords reset: ${report.passwordsReset.join(', ')}` : ''));
    } finally {
      await closeDb(db);
    }
  });
}
