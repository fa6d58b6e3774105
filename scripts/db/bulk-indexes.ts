// Bulk loads into big tables: secondary indexes (not those behind a primary key or unique constraint, which
// ON CONFLICT needs) are dropped inside the load's transaction and rebuilt once at the end, which is much
// faster than maintaining them row by row. Used by seed:scale and the TraitorTrack import.
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
