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

export type UserLocale = 'en' | 'hi';

/** The user's chosen language (null: never chosen, the browser's applies); null also for no such user. */
export async function findUserLocale(db: Db, id: number): Promise<UserLocale | null> {
  const rows = await queryRows<{ locale: UserLocale | null }>(db, sql`SELECT locale FROM users WHERE id = ${id}`);
  return rows[0]?.locale ?? null;
}

/**
 * Sets the signed-in user's own language, audited in the same statement (before and after); false when the
 * user is gone or deactivated. Setting the language already set changes nothing and writes no audit row.
 */
export async function setUserLocale(db: Db, meta: AuditMeta, id: number, locale: UserLocale | null): Promise<boolean> {
  const rows = await queryRows<{ id: number; changed: boolean }>(
    db,
    sql`WITH old AS (SELECT id, locale FROM users WHERE id = ${id} AND active FOR UPDATE),
upd AS (
  UPDATE users u SET locale = ${locale}, updated_at = now() FROM old
  WHERE u.id = old.id AND old.locale IS DISTINCT FROM ${locale}::text RETURNING u.id
),
src AS (
  SELECT upd.id::text AS entity_id, jsonb_build_object('locale', old.locale) AS before, jsonb_build_object('locale', ${locale}::text) AS after
  FROM upd JOIN old ON old.id = upd.id
),
audit AS (${auditInsertFrom(meta, 'user.locale', 'user', 'src')})
SELECT old.id, EXISTS (SELECT 1 FROM upd) AS changed FROM old`,
  );
  return rows.length === 1;
}
