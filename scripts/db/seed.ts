// Seeds the default dispatch areas and, in development only and only into a database on this machine,
// demo users whose password is public. Safe to re-run: nothing is duplicated and changed passwords are kept
// unless a reset is asked for. Every row it creates or changes gets its audit row (actor `system:seed`).
//   DATABASE_URL=… [ENVIRONMENT=development] tsx scripts/db/seed.ts [--dev-users] [--reset-dev-passwords]
import { inArray, sql } from 'drizzle-orm';
import { scriptAuditMeta } from '../../src/db/audit';
import { hashPassword } from '../../src/worker/auth/password';
import { createArea } from '../../src/db/areas';
import { closeDb, getDb, type Db } from '../../src/db/client';
import { areas, users } from '../../src/db/schema';
import { createUser, updateUser } from '../../src/db/user-admin';
import type { Role } from '../../src/shared/types';
import { isMain, requireDatabaseUrl, runMain } from './cli';
import { isLocalDatabaseUrl } from './local-url';

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
  /** Where `db` points: demo users go only into a database on this machine (loopback host or Unix socket). */
  databaseUrl: string;
  /** Demand demo users: refused (throws) where they would not be created, rather than silently skipped. */
  devUsers?: boolean;
  /** Set demo users' passwords back to DEV_PASSWORD even if they were changed. */
  resetDevPasswords?: boolean;
}

export interface SeedReport {
  areasCreated: number;
  usersCreated: string[];
  passwordsReset: string[];
  /** Why no demo users were seeded, when none were: they exist only in development, on a local database. */
  demoUsersSkipped?: 'not_development' | 'remote_database';
}

const SEED_ACTOR = scriptAuditMeta('seed');

/** Why demo users must not go into this database, or null when they may. */
export function demoUsersRefusal(options: Pick<SeedOptions, 'environment' | 'databaseUrl'>): SeedReport['demoUsersSkipped'] | null {
  if (options.environment !== 'development') return 'not_development';
  if (!isLocalDatabaseUrl(options.databaseUrl)) return 'remote_database';
  return null;
}

export async function seedDatabase(db: Db, options: SeedOptions): Promise<SeedReport> {
  const refusal = demoUsersRefusal(options);
  if (options.devUsers && refusal === 'not_development') {
    throw new Error(`Refusing to create demo users: ENVIRONMENT is "${options.environment ?? ''}", not "development".`);
  }
  if (options.devUsers && refusal === 'remote_database') {
    throw new Error('Refusing to create demo users (their password is public) in a database that is not on this machine.');
  }
  let areasCreated = 0;
  for (const name of DEFAULT_AREAS) if (await createArea(db, SEED_ACTOR, name)) areasCreated++;
  const report: SeedReport = { areasCreated, usersCreated: [], passwordsReset: [] };
  if (refusal) return { ...report, demoUsersSkipped: refusal };

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
    // A concurrent seed may have won the race: createUser then answers USERNAME_TAKEN and inserts nothing.
    const created = await createUser(db, SEED_ACTOR, {
      username: user.username,
      passwordHash: await hashPassword(DEV_PASSWORD),
      role: user.role,
      areaId: user.area === null ? null : (areaId.get(user.area) ?? null),
    });
    if (created.ok) report.usersCreated.push(user.username);
  }
  if (options.resetDevPasswords) {
    for (const u of existing) {
      // Actor id 0 is nobody, so none of the "your own account" rules apply.
      const reset = await updateUser(db, SEED_ACTOR, 0, Number(u.id), { passwordHash: await hashPassword(DEV_PASSWORD) });
      if (reset.ok) report.passwordsReset.push(u.username);
    }
  }
  return report;
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const args = process.argv.slice(2);
    const databaseUrl = requireDatabaseUrl();
    const db = getDb({ DATABASE_URL: databaseUrl, NEON_HTTP_ENDPOINT: process.env.NEON_HTTP_ENDPOINT });
    try {
      const report = await seedDatabase(db, {
        environment: process.env.ENVIRONMENT,
        databaseUrl,
        devUsers: args.includes('--dev-users'),
        resetDevPasswords: args.includes('--reset-dev-passwords'),
      });
      console.log(`areas created: ${report.areasCreated}; users created: ${report.usersCreated.join(', ') || 'none'}` +
        (report.passwordsReset.length ? `; passwords reset: ${report.passwordsReset.join(', ')}` : '') +
        (report.demoUsersSkipped === 'remote_database' ? ' (no demo users: DATABASE_URL is not a database on this machine)' : ''));
    } finally {
      await closeDb(db);
    }
  });
}
