import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { verifyPassword } from '../../../src/worker/auth/password';
import { queryRows, type Db } from '../../../src/worker/db/client';
import { DEFAULT_AREAS, DEV_PASSWORD, seedDatabase } from '../../../scripts/db/seed';
import { closeDb, dbFor, startTarget, truncateAll, type PgTarget } from '../../support/postgres';

// Seeding is driver-independent; one target (embedded) and postgres.js suffice.
describe('seed', () => {
  let target: PgTarget;
  let db: Db;
  beforeAll(async () => {
    target = await startTarget('embedded');
    db = dbFor(target, 'postgres-js');
  });
  afterAll(async () => {
    if (db) await closeDb(db);
    await target?.stop();
  });
  beforeEach(async () => {
    await truncateAll(db);
  });

  const users = () => queryRows<{ username: string; role: string; area: string | null; password_hash: string }>(db,
    sql`SELECT u.username, u.role, a.name AS area, u.password_hash FROM users u LEFT JOIN areas a ON a.id = u.area_id ORDER BY u.username`);

  test('creates the ten areas and the demo users once, in development', async () => {
    const first = await seedDatabase(db, { environment: 'development' });
    expect(first.areasCreated).toBe(10);
    expect(first.usersCreated).toEqual(['admin', 'supervisor', 'biller', 'dispatcher', 'dispatcher2']);
    const areas = await queryRows<{ name: string }>(db, sql`SELECT name FROM areas ORDER BY id`);
    expect(areas.map((a) => a.name)).toEqual([...DEFAULT_AREAS]);
    const rows = await users();
    expect(rows.map(({ username, role, area }) => ({ username, role, area }))).toEqual([
      { username: 'admin', role: 'admin', area: null },
      { username: 'biller', role: 'biller', area: null },
      { username: 'dispatcher', role: 'dispatcher', area: 'Lucknow' },
      { username: 'dispatcher2', role: 'dispatcher', area: 'Indore' },
      { username: 'supervisor', role: 'supervisor', area: 'Lucknow' },
    ]);
    expect(await verifyPassword(DEV_PASSWORD, rows[0]!.password_hash)).toBe(true);

    const again = await seedDatabase(db, { environment: 'development', devUsers: true });
    expect(again).toEqual({ areasCreated: 0, usersCreated: [], passwordsReset: [] });
    expect((await users()).length).toBe(5);
  });

  test('keeps changed passwords unless a reset is asked for', async () => {
    await seedDatabase(db, { environment: 'development' });
    await db.execute(sql`UPDATE users SET password_hash = 'changed' WHERE username = 'admin'`);
    await seedDatabase(db, { environment: 'development' });
    expect((await users()).find((u) => u.username === 'admin')?.password_hash).toBe('changed');
    const report = await seedDatabase(db, { environment: 'development', resetDevPasswords: true });
    expect(report.passwordsReset).toContain('admin');
    const admin = (await users()).find((u) => u.username === 'admin')!;
    expect(await verifyPassword(DEV_PASSWORD, admin.password_hash)).toBe(true);
  });

  test('outside development: areas only, and demo users are refused when demanded', async () => {
    const report = await seedDatabase(db, { environment: 'production' });
    expect(report).toEqual({ areasCreated: 10, usersCreated: [], passwordsReset: [] });
    expect(await users()).toEqual([]);
    await expect(seedDatabase(db, { environment: 'production', devUsers: true })).rejects.toThrow(/Refusing/);
    await expect(seedDatabase(db, { environment: undefined, devUsers: true })).rejects.toThrow(/Refusing/);
    expect(await users()).toEqual([]);
  });
});
