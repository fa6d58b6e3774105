// The first successful sign-in with an imported (werkzeug) password hash stores TraceTrack's own hash in its
// place, audited in the same statement. Only if the row still holds that legacy hash: a password changed or
// reset meanwhile is never overwritten.
import { sql } from 'drizzle-orm';
import { auditInsertFrom, type AuditMeta } from './audit';
import { queryRows, type Db } from './client';

export async function replaceLegacyHash(db: Db, meta: AuditMeta, userId: number, legacyHash: string, newHash: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`WITH upd AS (
  UPDATE users SET password_hash = ${newHash}, updated_at = now() WHERE id = ${userId} AND password_hash = ${legacyHash} RETURNING id
),
src AS (SELECT id::text AS entity_id, '{"passwordScheme":"werkzeug"}'::jsonb AS before, '{"passwordScheme":"pbkdf2-sha256"}'::jsonb AS after FROM upd),
audit AS (${auditInsertFrom(meta, 'auth.password_rehash', 'user', 'src')})
SELECT id FROM upd`,
  );
  return rows.length === 1;
}
