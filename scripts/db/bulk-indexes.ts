// Bulk loads into big tables: secondary indexes (not those behind a primary key or unique constraint, which
// ON CONFLICT needs) and foreign keys are dropped inside the load's transaction and rebuilt once at the end,
// which is much faster than maintaining them row by row. Used by seed:scale and the TraitorTrack import.
import type { Sql, TransactionSql } from 'postgres';

export interface SavedIndex {
  name: string;
  def: string;
}

export async function dropSecondaryIndexes(tx: Sql | TransactionSql, tables: string[]): Promise<SavedIndex[]> {
  const indexes = await tx.unsafe<SavedIndex[]>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     JOIN pg_class c ON c.relname = i.indexname AND c.relkind = 'i'
     WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)`,
    [tables],
  );
  for (const ix of indexes) await tx.unsafe(`DROP INDEX "${ix.name}"`);
  return [...indexes];
}

export async function recreateIndexes(tx: Sql | TransactionSql, indexes: SavedIndex[]): Promise<void> {
  for (const ix of indexes) await tx.unsafe(ix.def);
}

export interface SavedConstraint {
  table: string;
  name: string;
  def: string;
}

/**
 * Foreign keys are checked row by row by triggers: millions of lookups during a bulk load. Dropped inside the
 * load's transaction and added back afterwards, each is checked once, by one join over the whole table.
 */
export async function dropForeignKeys(tx: Sql | TransactionSql, tables: string[]): Promise<SavedConstraint[]> {
  const keys = await tx.unsafe<SavedConstraint[]>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY($1) ORDER BY 1, 2`,
    [tables],
  );
  for (const k of keys) await tx.unsafe(`ALTER TABLE ${k.table} DROP CONSTRAINT "${k.name}"`);
  return [...keys];
}

export async function restoreForeignKeys(tx: Sql | TransactionSql, keys: SavedConstraint[]): Promise<void> {
  for (const k of keys) await tx.unsafe(`ALTER TABLE ${k.table} ADD CONSTRAINT "${k.name}" ${k.def}`);
}
