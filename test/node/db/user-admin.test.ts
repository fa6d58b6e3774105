import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import type { AuditMeta } from '../../../src/db/audit';
import { closeDb, getDb, queryRows, type Db } from '../../../src/db/client';
import { createArea, listAreas } from '../../../src/db/areas';
import { createUser, listUsers, updateUser } from '../../../src/db/user-admin';
import { describeMatrix } from '../../support/matrix';

const meta = (actorId: number | null): AuditMeta => ({ actorId, actorUsername: 'root', ip: '10.0.0.1', userAgent: 'ua', requestId: 'req-1' });

async function seed(db: Db): Promise<{ area: number; admin: number; admin2: number }> {
  const [area] = await queryRows<{ id: number }>(db, sql`INSERT INTO areas (name) VALUES ('Lucknow') RETURNING id`);
  const made = [];
  for (const username of ['root', 'root2']) {
    const r = await createUser(db, meta(null), { username, passwordHash: 'pbkdf2-sha256$1$AA==$AA==', role: 'admin', areaId: null });
    if (!r.ok) throw new Error(r.problem);
    made.push(r.user.id);
  }
  return { area: Number(area!.id), admin: made[0]!, admin2: made[1]! };
}

async function auditRows(db: Db) {
  return queryRows<{ action: string; entity_id: string; before: unknown; after: unknown; ip: string; request_id: string }>(
    db,
    sql`SELECT action, entity_id, before, after, ip, request_id FROM audit_log ORDER BY id`,
  );
}

describeMatrix('users administration statements', (ctx) => {
  test('create: refuses a taken name in any case and an unknown area, and audits only what it stored', async () => {
    const { db } = ctx();
    const { area } = await seed(db);
    const made = await createUser(db, meta(1), { username: 'Ravi', passwordHash: 'secret-hash', role: 'dispatcher', areaId: area });
    expect(made.ok).toBe(true);
    expect(await createUser(db, meta(1), { username: 'RAVI', passwordHash: 'x', role: 'biller', areaId: null })).toEqual({ ok: false, problem: 'USERNAME_TAKEN' });
    expect(await createUser(db, meta(1), { username: 'meena', passwordHash: 'x', role: 'dispatcher', areaId: 999 })).toEqual({ ok: false, problem: 'AREA_UNKNOWN' });
    const audit = await auditRows(db);
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'user.create', 'user.create']);
    const last = audit[2]!;
    expect(last.after).toEqual({ username: 'Ravi', role: 'dispatcher', areaId: area, active: true, totpEnabled: false });
    expect(JSON.stringify(audit)).not.toContain('secret-hash');
    expect(last.ip).toBe('10.0.0.1');
    expect((await listUsers(db, { role: 'dispatcher', limit: 10 })).map((u) => u.username)).toEqual(['Ravi']);
    expect((await listUsers(db, { limit: 1 })).length).toBe(1);
  });

  test('update: never the last active admin, never your own role, area rules', async () => {
    const { db } = ctx();
    const { area, admin, admin2 } = await seed(db);
    expect(await updateUser(db, meta(admin), admin, admin, { role: 'biller' })).toEqual({ ok: false, problem: 'OWN_ROLE' });
    expect(await updateUser(db, meta(admin), admin, admin, { active: false })).toEqual({ ok: false, problem: 'OWN_ACTIVE' });
    expect(await updateUser(db, meta(admin), admin, admin2, { role: 'dispatcher' })).toEqual({ ok: false, problem: 'AREA_REQUIRED' });
    expect(await updateUser(db, meta(admin), admin, admin2, { role: 'dispatcher', areaId: 4242 })).toEqual({ ok: false, problem: 'AREA_UNKNOWN' });
    expect(await updateUser(db, meta(admin), admin, 9999, { active: false })).toEqual({ ok: false, problem: 'NOT_FOUND' });
    const demoted = await updateUser(db, meta(admin), admin, admin2, { role: 'supervisor', areaId: area });
    expect(demoted).toMatchObject({ ok: true, sessionsEnd: true, user: { role: 'supervisor', areaId: area } });
    // admin is now the only active admin: admin2 (supervisor) cannot be the one to demote or deactivate them.
    expect(await updateUser(db, meta(admin2), admin2, admin, { active: false })).toEqual({ ok: false, problem: 'LAST_ADMIN' });
    expect(await updateUser(db, meta(admin2), admin2, admin, { role: 'biller' })).toEqual({ ok: false, problem: 'LAST_ADMIN' });
    // A password reset needs no other admin and says so in the audit row, without the hash.
    const reset = await updateUser(db, meta(admin2), admin2, admin, { passwordHash: 'new-secret-hash' });
    expect(reset).toMatchObject({ ok: true, sessionsEnd: true });
    const audit = await auditRows(db);
    const updates = audit.filter((a) => a.action === 'user.update');
    expect(updates).toHaveLength(2);
    expect(updates[0]!.before).toMatchObject({ role: 'admin', areaId: null });
    expect(updates[0]!.after).toMatchObject({ role: 'supervisor', areaId: area });
    expect(updates[1]!.after).toMatchObject({ passwordReset: true });
    expect(JSON.stringify(audit)).not.toContain('new-secret-hash');
  });

  test('two concurrent demotions of the last two admins: exactly one wins', async () => {
    const { db, target, driver } = ctx();
    // Real concurrency needs a server with many sessions (the embedded PGlite runs one at a time).
    if (target.name !== 'server' || driver !== 'postgres-js') return;
    const { admin, admin2 } = await seed(db);
    const [a, b] = [getDb({ DATABASE_URL: target.url }), getDb({ DATABASE_URL: target.url })];
    try {
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all([
          updateUser(a, meta(admin), admin, admin2, { role: 'biller' }),
          updateUser(b, meta(admin2), admin2, admin, { role: 'biller' }),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.problem)).toEqual(['LAST_ADMIN']);
        const [{ n }] = (await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active`)) as [{ n: number }];
        expect(n).toBe(1);
        await db.execute(sql`UPDATE users SET role = 'admin'`);
      }
    } finally {
      await closeDb(a);
      await closeDb(b);
    }
  });

  test('areas: create once per name in any case, audited', async () => {
    const { db } = ctx();
    expect(await createArea(db, meta(1), 'Jaipur')).toMatchObject({ name: 'Jaipur' });
    expect(await createArea(db, meta(1), 'JAIPUR')).toBeNull();
    expect((await listAreas(db)).map((a) => a.name)).toEqual(['Jaipur']);
    expect((await auditRows(db)).map((a) => [a.action, a.after])).toEqual([['area.create', { name: 'Jaipur' }]]);
  });
});
