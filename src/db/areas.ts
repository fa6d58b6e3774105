// Dispatch areas: listed to every signed-in user, created by admins (with their audit row, in one statement).
import { sql } from 'drizzle-orm';
import { auditInsertFrom, type AuditMeta } from './audit';
import { queryRows, type Db } from './client';
import type { Area as AreaView } from '../shared/api';
export type { Area as AreaView } from '../shared/api';


export async function listAreas(db: Db): Promise<AreaView[]> {
  return queryRows<AreaView & Record<string, unknown>>(db, sql`SELECT id, name FROM areas ORDER BY name, id`);
}

/** The new area, or null when the name exists already (in any letter case). */
export async function createArea(db: Db, meta: AuditMeta, name: string): Promise<AreaView | null> {
  const [row] = await queryRows<AreaView & Record<string, unknown>>(
    db,
    sql`WITH ins AS (
  INSERT INTO areas (name)
  SELECT ${name}::text WHERE NOT EXISTS (SELECT 1 FROM areas WHERE lower(name) = lower(${name}::text))
  ON CONFLICT (name) DO NOTHING
  RETURNING id, name
),
src AS (SELECT id::text AS entity_id, NULL::jsonb AS before, jsonb_build_object('name', name) AS after FROM ins),
audit AS (${auditInsertFrom(meta, 'area.create', 'area', 'src')})
SELECT id, name FROM ins`,
  );
  return row ?? null;
}
