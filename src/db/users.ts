// User rows for login and administration. Usernames match case-insensitively (unique index on lower(username)).
import { eq, sql } from 'drizzle-orm';
import { auditInsertFrom, type AuditMeta } from './audit';
import { queryRows, type Db } from './client';
import { users } from './schema';

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | null> {
  const rows = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username.trim()})`)
    .limit(1);
  return rows[0] ?? null;
}

export async function findUserById(db: Db, id: number): Promise<UserRow | null> {
  const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return rows[0] ?? null;
}

/** Inserts a user; a username taken in any letter case raises Postgres' unique violation (23505). */
export async function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  const rows = await db.insert(users).values(user).returning();
  const row = rows[0];
  if (!row) throw new Error('insertUser: no row returned');
  return row;
}

/** The signed-in user's own password change, audited in the same statement (never with the hash). */
export async function changeOwnPassword(db: Db, meta: AuditMeta, id: number, passwordHash: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`WITH upd AS (
  UPDATE users SET password_hash = ${passwordHash}, password_changed_at = now(), updated_at = now()
  WHERE id = ${id} AND active RETURNING id
),
src AS (SELECT id::text AS entity_id, NULL::jsonb AS before, '{"passwordChanged":true}'::jsonb AS after FROM upd),
audit AS (${auditInsertFrom(meta, 'auth.password_change', 'user', 'src')})
SELECT id FROM upd`,
  );
  return rows.length === 1;
}
