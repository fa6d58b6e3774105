// Users administration: each write is ONE statement that decides, changes and audits together, so the
// rules (last active admin, own role, area required) cannot be raced between a check and a write.
import { sql, type SQL } from 'drizzle-orm';
import type { Role } from '../shared/types';
import { auditInsertFrom, type AuditMeta } from './audit';
import { queryRows, type Db } from './client';
import type { UserView } from '../shared/api';
export type { UserView } from '../shared/api';


export interface UserFilters {
  role?: Role;
  areaId?: number;
  active?: boolean;
  /** Keyset: users with a larger id than this. */
  afterId?: number;
  limit: number;
}

// What audit rows show of a user: never the password hash or the TOTP secret.
const AUDIT_VIEW = (t: string) =>
  sql.raw(`jsonb_build_object('username', ${t}.username, 'role', ${t}.role, 'areaId', ${t}.area_id, 'active', ${t}.active, 'totpEnabled', ${t}.totp_enabled)`);

const VIEW_COLUMNS = sql.raw(
  `id, username, role, area_id AS "areaId", active, totp_enabled AS "totpEnabled", to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`,
);

export async function listUsers(db: Db, f: UserFilters): Promise<UserView[]> {
  const where: SQL[] = [sql`true`];
  if (f.role) where.push(sql`role = ${f.role}`);
  if (f.areaId !== undefined) where.push(sql`area_id = ${f.areaId}`);
  if (f.active !== undefined) where.push(sql`active = ${f.active}`);
  if (f.afterId !== undefined) where.push(sql`id > ${f.afterId}`);
  return queryRows<UserView & Record<string, unknown>>(
    db,
    sql`SELECT ${VIEW_COLUMNS} FROM users WHERE ${sql.join(where, sql` AND `)} ORDER BY id LIMIT ${f.limit}`,
  );
}

export interface NewUserInput {
  username: string;
  passwordHash: string;
  role: Role;
  areaId: number | null;
}

export type CreateOutcome = { ok: true; user: UserView } | { ok: false; problem: 'USERNAME_TAKEN' | 'AREA_UNKNOWN' };

/** Inserts the user and its audit row; a taken username (any letter case) or unknown area inserts nothing. */
export async function createUser(db: Db, meta: AuditMeta, u: NewUserInput): Promise<CreateOutcome> {
  const [row] = await queryRows(
    db,
    sql`WITH checks AS (
  SELECT
    EXISTS (SELECT 1 FROM users WHERE lower(username) = lower(${u.username})) AS taken,
    (${u.areaId}::int IS NOT NULL AND NOT EXISTS (SELECT 1 FROM areas WHERE id = ${u.areaId}::int)) AS area_unknown
),
ins AS (
  INSERT INTO users (username, password_hash, role, area_id)
  SELECT ${u.username}, ${u.passwordHash}, ${u.role}, ${u.areaId}::int FROM checks WHERE NOT taken AND NOT area_unknown
  -- A concurrent insert of the same name still ends here rather than in a unique-violation error.
  ON CONFLICT ((lower(username))) DO NOTHING
  RETURNING *
),
src AS (SELECT id::text AS entity_id, NULL::jsonb AS before, ${AUDIT_VIEW('ins')} AS after FROM ins),
audit AS (${auditInsertFrom(meta, 'user.create', 'user', 'src')})
SELECT checks.taken, checks.area_unknown, (SELECT id FROM ins) AS id FROM checks`,
  );
  if (!row || row.area_unknown) return { ok: false, problem: 'AREA_UNKNOWN' };
  if (row.id == null) return { ok: false, problem: 'USERNAME_TAKEN' };
  const user = await findUserView(db, Number(row.id));
  if (!user) throw new Error('createUser: the new user vanished');
  return { ok: true, user };
}

export async function findUserView(db: Db, id: number): Promise<UserView | null> {
  const [row] = await queryRows<UserView & Record<string, unknown>>(db, sql`SELECT ${VIEW_COLUMNS} FROM users WHERE id = ${id}`);
  return row ?? null;
}

export interface UserChange {
  role?: Role;
  /** undefined: keep; null: clear. */
  areaId?: number | null;
  active?: boolean;
  passwordHash?: string;
}

export type UpdateProblem = 'NOT_FOUND' | 'LAST_ADMIN' | 'OWN_ROLE' | 'OWN_ACTIVE' | 'AREA_REQUIRED' | 'AREA_UNKNOWN';

export type UpdateOutcome =
  | { ok: true; user: UserView; before: UserView; sessionsEnd: boolean }
  | { ok: false; problem: UpdateProblem };

/**
 * Changes a user in one statement. Every active admin row is locked first (FOR UPDATE, in id order), so
 * of two concurrent demotions of the last two admins the second waits, then sees the first one's result
 * and is refused: "no active admin left" can never be committed.
 */
export async function updateUser(db: Db, meta: AuditMeta, actorId: number, id: number, ch: UserChange): Promise<UpdateOutcome> {
  const setArea = ch.areaId !== undefined;
  const [row] = await queryRows(
    db,
    sql`WITH admins AS (
  SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE
),
-- The admins' locks are taken first, always (the InitPlan runs before cur is scanned), so two such
-- statements lock in the same order and cannot deadlock.
cur AS (SELECT * FROM users WHERE id = ${id} AND (SELECT count(*) FROM admins) >= 0 FOR UPDATE),
nxt AS (
  SELECT cur.id,
    coalesce(${ch.role ?? null}::text, cur.role) AS role,
    CASE WHEN ${setArea} THEN ${ch.areaId ?? null}::int ELSE cur.area_id END AS area_id,
    coalesce(${ch.active ?? null}::boolean, cur.active) AS active
  FROM cur
),
verdict AS (
  SELECT nxt.*, CASE
    WHEN cur.id = ${actorId} AND nxt.role <> cur.role THEN 'OWN_ROLE'
    WHEN cur.id = ${actorId} AND NOT nxt.active THEN 'OWN_ACTIVE'
    WHEN cur.role = 'admin' AND cur.active AND NOT (nxt.role = 'admin' AND nxt.active)
      AND (SELECT count(*) FROM admins WHERE admins.id <> cur.id) = 0 THEN 'LAST_ADMIN'
    WHEN nxt.role IN ('dispatcher', 'supervisor') AND nxt.area_id IS NULL THEN 'AREA_REQUIRED'
    WHEN nxt.area_id IS NOT NULL AND nxt.area_id IS DISTINCT FROM cur.area_id
      AND NOT EXISTS (SELECT 1 FROM areas WHERE areas.id = nxt.area_id) THEN 'AREA_UNKNOWN'
    ELSE 'OK' END AS problem,
    (nxt.role <> cur.role OR nxt.area_id IS DISTINCT FROM cur.area_id OR (cur.active AND NOT nxt.active)
      OR ${ch.passwordHash !== undefined}) AS sessions_end
  FROM cur JOIN nxt ON nxt.id = cur.id
),
upd AS (
  UPDATE users u SET role = v.role, area_id = v.area_id, active = v.active,
    password_hash = coalesce(${ch.passwordHash ?? null}::text, u.password_hash),
    password_changed_at = CASE WHEN ${ch.passwordHash !== undefined} THEN now() ELSE u.password_changed_at END,
    updated_at = now()
  FROM verdict v WHERE u.id = v.id AND v.problem = 'OK'
  RETURNING u.*
),
src AS (
  SELECT upd.id::text AS entity_id, ${AUDIT_VIEW('cur')} AS before,
    ${AUDIT_VIEW('upd')} || CASE WHEN ${ch.passwordHash !== undefined} THEN '{"passwordReset":true}'::jsonb ELSE '{}'::jsonb END AS after
  FROM upd JOIN cur ON cur.id = upd.id
),
audit AS (${auditInsertFrom(meta, 'user.update', 'user', 'src')})
SELECT problem, sessions_end,
  ${sql.raw(`jsonb_build_object('id', cur.id, 'username', cur.username, 'role', cur.role, 'areaId', cur.area_id, 'active', cur.active, 'totpEnabled', cur.totp_enabled)`)} AS before
FROM verdict JOIN cur ON cur.id = verdict.id`,
  );
  if (!row) return { ok: false, problem: 'NOT_FOUND' };
  if (row.problem !== 'OK') return { ok: false, problem: row.problem as UpdateProblem };
  const user = await findUserView(db, id);
  if (!user) return { ok: false, problem: 'NOT_FOUND' };
  const before = (typeof row.before === 'string' ? JSON.parse(row.before) : row.before) as UserView;
  return { ok: true, user, before, sessionsEnd: Boolean(row.sessions_end) };
}
