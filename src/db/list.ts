// The one list helper: keyset pagination with an opaque cursor, shared by every list (bags, scans, audit,
// bills) and by the CSV exports, which walk the same pages one after another.
//
// How a list uses it:
//   const spec: KeysetList<Row, Key> = {
//     select: sql`SELECT … FROM bags`,          // no WHERE / ORDER BY / LIMIT
//     filters: [sql`type = ${type}`, …],          // ANDed; undefined entries are skipped
//     order: [sql`created_at`, sql`qr`],          // the sort key, unique as a whole (ends in a unique column)
//     direction: 'desc',
//     cursorSchema: z.tuple([z.string(), z.string()]), // validates a decoded cursor
//     keyOf: (row) => [row.sort_at, row.qr],     // the sort key of a row, as the cursor stores it
//     keyCasts: ['timestamptz', 'text'],          // how each key value is compared in SQL
//   };
//   const page = await listPage(db, spec, { limit, cursor });   // → { items, nextCursor }
//
// Why keyset and not OFFSET: page 10,000 of 1.8 million bags costs the same as page 1 (an index range scan
// starting after the last key), and rows inserted meanwhile never shift pages. An index on the `order`
// columns (after any equality filters) keeps each page an index scan: see the indexes in schema.ts.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import { queryRows, type Db, type Row } from './client';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
const MAX_CURSOR_LENGTH = 512;

/** `?limit=&cursor=` of every list; merge into a route's query schema. */
export const pageQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_LIMIT, `limit must be at most ${MAX_LIMIT}`)
    .default(DEFAULT_LIMIT),
  cursor: z.string().min(1).max(MAX_CURSOR_LENGTH, 'cursor is too long').optional(),
});

export type KeyValue = string | number;
export type KeyCast = 'text' | 'timestamptz' | 'int8' | 'int4';

export interface KeysetList<R extends Row, K extends readonly KeyValue[]> {
  select: SQL;
  filters: ReadonlyArray<SQL | undefined>;
  order: readonly SQL[];
  direction: 'asc' | 'desc';
  cursorSchema: z.ZodType<K>;
  keyOf(row: R): K;
  keyCasts: readonly KeyCast[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(key: readonly KeyValue[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The key a cursor stands for; anything not made by encodeCursor for this list is 400 INVALID_INPUT. */
export function decodeCursor<K>(cursor: string, schema: z.ZodType<K>): K {
  const bad = () => new AppError('INVALID_INPUT', 'Invalid cursor: use the nextCursor of a previous page of the same list.');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let value: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw bad();
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw bad();
  return parsed.data;
}

/** Cursor schema pieces: a timestamp key as ISO text (validated, so Postgres never sees junk), ids, QRs. */
export const cursorParts = {
  timestamp: z.string().max(40).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  text: z.string().max(128),
};

/** SQL of a timestamp as the cursor keeps it: UTC ISO with microseconds, so no row is skipped or repeated. */
export function cursorTimestamp(column: SQL): SQL {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** SQL of a timestamp for JSON and CSV: UTC ISO-8601 with milliseconds. */
export function isoTimestamp(column: SQL): SQL {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export function and(filters: ReadonlyArray<SQL | undefined>): SQL | undefined {
  const present = filters.filter((f): f is SQL => f !== undefined);
  if (present.length === 0) return undefined;
  return sql.join(present.map((f) => sql`(${f})`), sql` AND `);
}

/** The query of one page: filters, "after the cursor's key" as one row comparison, order, limit. */
export function pageQuery<R extends Row, K extends readonly KeyValue[]>(spec: KeysetList<R, K>, after: K | null, limit: number): SQL {
  const cmp = spec.direction === 'desc' ? sql.raw('<') : sql.raw('>');
  const keyFilter =
    after === null
      ? undefined
      : sql`(${sql.join([...spec.order], sql`, `)}) ${cmp} (${sql.join(
          after.map((v, i) => sql`${v}::${sql.raw(spec.keyCasts[i] ?? 'text')}`),
          sql`, `,
        )})`;
  const where = and([...spec.filters, keyFilter]);
  const dir = sql.raw(spec.direction === 'desc' ? 'DESC' : 'ASC');
  const orderBy = sql.join(
    spec.order.map((col) => sql`${col} ${dir}`),
    sql`, `,
  );
  return sql`${spec.select}${where ? sql` WHERE ${where}` : sql``} ORDER BY ${orderBy} LIMIT ${limit}`;
}

/**
 * One page: fetches limit + 1 rows so the last page says nextCursor null without a second query.
 * `after` is a decoded cursor (or the key where an export stopped).
 */
export async function fetchPage<R extends Row, K extends readonly KeyValue[]>(
  db: Db,
  spec: KeysetList<R, K>,
  after: K | null,
  limit: number,
): Promise<{ rows: R[]; lastKey: K | null; more: boolean }> {
  const rows = await queryRows<R>(db, pageQuery(spec, after, limit + 1));
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { rows: page, lastKey: last ? spec.keyOf(last) : null, more };
}

/** A list page as the API answers it: `{items, nextCursor}`; `toItem` shapes each row. */
export async function listPage<R extends Row, K extends readonly KeyValue[], T>(
  db: Db,
  spec: KeysetList<R, K>,
  options: { limit: number; cursor?: string | undefined },
  toItem: (row: R) => T,
): Promise<Page<T>> {
  const after = options.cursor === undefined ? null : decodeCursor(options.cursor, spec.cursorSchema);
  const { rows, lastKey, more } = await fetchPage(db, spec, after, options.limit);
  return { items: rows.map(toItem), nextCursor: more && lastKey ? encodeCursor(lastKey) : null };
}

/** Every row of a list, page by page, never more than one page in memory (exports). */
export async function* walkPages<R extends Row, K extends readonly KeyValue[]>(
  db: Db,
  spec: KeysetList<R, K>,
  pageSize: number,
): AsyncGenerator<R[]> {
  let after: K | null = null;
  for (;;) {
    const page: { rows: R[]; lastKey: K | null; more: boolean } = await fetchPage(db, spec, after, pageSize);
    const { rows, lastKey, more } = page;
    if (rows.length > 0) yield rows;
    if (!more || lastKey === null) return;
    after = lastKey;
  }
}
