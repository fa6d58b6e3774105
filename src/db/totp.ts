// The TOTP rows' atomic updates: each use of a code is one conditional UPDATE, so two requests with the
// same code (or the same recovery code) cannot both succeed.
import { sql } from 'drizzle-orm';
import { auditInsertFrom, type AuditMeta } from './audit';
import { queryRows, type Db } from './client';

/** Accepts a TOTP step only if it is newer than every step accepted before for this user. */
export async function consumeTotpStep(db: Db, userId: number, step: number): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`UPDATE users SET totp_last_step = ${step} WHERE id = ${userId} AND (totp_last_step IS NULL OR totp_last_step < ${step}) RETURNING id`,
  );
  return rows.length === 1;
}

/** Removes one unused recovery code; false when it is not (or no longer) there. */
export async function consumeRecoveryCode(db: Db, userId: number, codeHash: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`UPDATE users SET totp_recovery_codes = totp_recovery_codes - ${codeHash}::text
        WHERE id = ${userId} AND totp_enabled AND jsonb_exists(coalesce(totp_recovery_codes, '[]'::jsonb), ${codeHash}::text)
        RETURNING id`,
  );
  return rows.length === 1;
}

/** Stores a new, not yet enabled secret (setup), audited in the same statement. Refused (false) while TOTP is enabled. */
export async function storePendingSecret(db: Db, meta: AuditMeta, userId: number, secret: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`WITH upd AS (
  UPDATE users SET totp_secret = ${secret}, totp_last_step = NULL, updated_at = now() WHERE id = ${userId} AND NOT totp_enabled RETURNING id
),
-- The secret itself never goes into the audit log.
src AS (SELECT id::text AS entity_id, NULL::jsonb AS before, '{"totpEnabled":false,"secretIssued":true}'::jsonb AS after FROM upd),
audit AS (${auditInsertFrom(meta, 'auth.totp_setup', 'user', 'src')})
SELECT id FROM upd`,
  );
  return rows.length === 1;
}

/** Enables TOTP with the verified step and the recovery codes' hashes, audited in the same statement. */
export async function enableTotp(db: Db, meta: AuditMeta, userId: number, step: number, codeHashes: string[]): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`WITH upd AS (
  UPDATE users SET totp_enabled = true, totp_last_step = ${step}, totp_recovery_codes = ${JSON.stringify(codeHashes)}::jsonb, updated_at = now()
  WHERE id = ${userId} AND NOT totp_enabled AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < ${step})
  RETURNING id
),
src AS (SELECT id::text AS entity_id, '{"totpEnabled":false}'::jsonb AS before,
  jsonb_build_object('totpEnabled', true, 'recoveryCodes', ${codeHashes.length}::int) AS after FROM upd),
audit AS (${auditInsertFrom(meta, 'auth.totp_enable', 'user', 'src')})
SELECT id FROM upd`,
  );
  return rows.length === 1;
}

/**
 * Turns TOTP off and forgets its secret, step and recovery codes, audited in the same statement:
 * `auth.totp_disable` (the user, with password and code) or `user.totp_reset` (an admin, for someone who
 * lost their device and codes; deactivated users too, so they come back without it). False for an unknown
 * user, or a deactivated one turning it off themselves.
 */
export async function clearTotp(db: Db, meta: AuditMeta, userId: number, action: 'auth.totp_disable' | 'user.totp_reset'): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`WITH cur AS (
  SELECT id, totp_enabled, totp_secret IS NOT NULL AS had_secret FROM users
  WHERE id = ${userId}${action === 'auth.totp_disable' ? sql` AND active` : sql``} FOR UPDATE
),
upd AS (
  UPDATE users u SET totp_enabled = false, totp_secret = NULL, totp_last_step = NULL, totp_recovery_codes = NULL, updated_at = now()
  FROM cur WHERE u.id = cur.id RETURNING u.id
),
src AS (SELECT cur.id::text AS entity_id, jsonb_build_object('totpEnabled', cur.totp_enabled, 'pendingSecret', cur.had_secret AND NOT cur.totp_enabled) AS before,
  '{"totpEnabled":false}'::jsonb AS after FROM cur JOIN upd ON upd.id = cur.id),
audit AS (${auditInsertFrom(meta, action, 'user', 'src')})
SELECT id FROM upd`,
  );
  return rows.length === 1;
}
