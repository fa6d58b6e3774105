import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { verifyPassword } from '../../../src/worker/auth/password';
import { queryRows, type Db } from '../../../src/db/client';
import { bootstrapAdmin } from '../../../scripts/bootstrap-admin';
import { isLocalDatabaseUrl } from '../../../scripts/db/local-url';
import { DEFAULT_AREAS, DEV_PASSWORD, seedDatabase } from '../../../scripts/db/seed';
import { hashPassword } from '../../../src/worker/auth/password';
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
    const first = await seedDatabase(db, { environment: 'development', databaseUrl: target.url });
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

    const again = await seedDatabase(db, { environment: 'development', databaseUrl: target.url, devUsers: true });
    expect(again).toEqual({ areasCreated: 0, usersCreated: [], passwordsReset: [] });
    expect((await users()).length).toBe(5);
  });

  test('keeps changed passwords unless a reset is asked for', async () => {
    await seedDatabase(db, { environment: 'development', databaseUrl: target.url });
    await db.execute(sql`UPDATE users SET password_hash = 'changed' WHERE username = 'admin'`);
    await seedDatabase(db, { environment: 'development', databaseUrl: target.url });
    expect((await users()).find((u) => u.username === 'admin')?.password_hash).toBe('changed');
    const report = await seedDatabase(db, { environment: 'development', databaseUrl: target.url, resetDevPasswords: true });
    expect(report.passwordsReset).toContain('admin');
    const admin = (await users()).find((u) => u.username === 'admin')!;
    expect(await verifyPassword(DEV_PASSWORD, admin.password_hash)).toBe(true);
  });

  test('outside development: areas only, and demo users are refused when demanded', async () => {
    const report = await seedDatabase(db, { environment: 'production', databaseUrl: target.url });
    expect(report).toEqual({ areasCreated: 10, usersCreated: [], passwordsReset: [], demoUsersSkipped: 'not_development' });
    expect(await users()).toEqual([]);
    await expect(seedDatabase(db, { environment: 'production', databaseUrl: target.url, devUsers: true })).rejects.toThrow(/Refusing/);
    await expect(seedDatabase(db, { environment: undefined, databaseUrl: target.url, devUsers: true })).rejects.toThrow(/Refusing/);
    expect(await users()).toEqual([]);
  });

  test('never puts the demo users (public password) into a database that is not on this machine', async () => {
    // `db` is the local test database; the URL says where the seed believes it writes.
    for (const remote of ['postgres://u:p@ep-cool-1234.eu-central-1.aws.neon.tech/app?sslmode=require', 'postgres://u@10.0.0.5:5432/app', 'postgres://u@db.internal/app?host=127.0.0.1,db2.internal']) {
      const report = await seedDatabase(db, { environment: 'development', databaseUrl: remote });
      expect(report.usersCreated, remote).toEqual([]);
      expect(report.demoUsersSkipped).toBe('remote_database');
      await expect(seedDatabase(db, { environment: 'development', databaseUrl: remote, devUsers: true })).rejects.toThrow(/not on this machine/);
    }
    expect(await users()).toEqual([]);
    expect((await queryRows(db, sql`SELECT 1 FROM areas`)).length).toBe(10);
  });

  test('writes an audit row for every area, demo user and password reset it makes', async () => {
    await seedDatabase(db, { environment: 'development', databaseUrl: target.url });
    const audit = () => queryRows<{ action: string; actor_username: string; entity_id: string; after: any }>(db,
      sql`SELECT action, actor_username, entity_id, after FROM audit_log ORDER BY id`);
    const rows = await audit();
    expect(rows.filter((r) => r.action === 'area.create').map((r) => r.after.name)).toEqual([...DEFAULT_AREAS]);
    expect(rows.filter((r) => r.action === 'user.create').map((r) => r.after.username)).toEqual(['admin', 'supervisor', 'biller', 'dispatcher', 'dispatcher2']);
    expect(new Set(rows.map((r) => r.actor_username))).toEqual(new Set(['system:seed']));
    expect(JSON.stringify(rows)).not.toContain('pbkdf2');
    await seedDatabase(db, { environment: 'development', databaseUrl: target.url });
    expect((await audit()).length).toBe(rows.length); // nothing new, nothing audited
    await seedDatabase(db, { environment: 'development', databaseUrl: target.url, resetDevPasswords: true });
    const resets = (await audit()).filter((r) => r.action === 'user.update');
    expect(resets).toHaveLength(5);
    for (const r of resets) expect(r.after).toMatchObject({ passwordReset: true });
  });

  test('bootstrap-admin creates the first admin with an audit row, and refuses a second', async () => {
    await seedDatabase(db, { environment: 'production', databaseUrl: target.url });
    const admin = await bootstrapAdmin(db, 'Ravi.Ops', await hashPassword('lorry-mango-fog-41'));
    expect(admin).toMatchObject({ username: 'Ravi.Ops', role: 'admin', areaId: null, active: true });
    const [row] = await queryRows<{ actor_username: string; entity_id: string; after: any }>(db,
      sql`SELECT actor_username, entity_id, after FROM audit_log WHERE action = 'user.create'`);
    expect(row).toMatchObject({ actor_username: 'system:bootstrap-admin', entity_id: String(admin.id) });
    expect(row!.after).toMatchObject({ username: 'Ravi.Ops', role: 'admin' });
    await expect(bootstrapAdmin(db, 'second', await hashPassword('lorry-mango-fog-42'))).rejects.toThrow(/exists already/);
  });
});

describe('local database URLs', () => {
  test('loopback hosts and Unix sockets are local; anything else is not', () => {
    for (const url of ['postgres://postgres:postgres@127.0.0.1:5433/postgres', 'postgres://u@localhost/db', 'postgresql://u@[::1]:5432/db', 'postgres://u@127.1.2.3/db',
      'postgres://u@/db?host=/var/run/postgresql', 'postgres:///db', 'postgres://u@localhost/db?host=%2Ftmp']) {
      expect(isLocalDatabaseUrl(url), url).toBe(true);
    }
    for (const url of ['postgres://u@ep-x.neon.tech/db', 'postgres://u@10.0.0.5/db', 'postgres://u@127.0.0.1.evil.example/db', 'postgres://u@localhost/db?host=db.example.com',
      'postgres://u@192.168.1.10:5432/db', 'mysql://u@localhost/db', 'not a url']) {
      expect(isLocalDatabaseUrl(url), url).toBe(false);
    }
  });
});
