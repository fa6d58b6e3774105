// Step 1: copy TraitorTrack's rows, as they are, into staging tables of the import's TraceTrack session.
// The source is read in ONE read-only REPEATABLE READ transaction (one consistent snapshot across tables,
// allowed on a hot standby too) through cursors, so the two databases may be on different servers and
// memory holds one batch. Rows go to the target through COPY … FROM STDIN (about 3× faster), or, where the
// server cannot take COPY over the wire (the embedded PGlite), in batches of INSERT … SELECT FROM unnest().
import { pipeline } from 'node:stream/promises';
import type { Sql, TransactionSql } from 'postgres';
import type { Progress } from './progress';
import { IGNORED_TABLES, quoteIdent, RAW_TABLES, SOURCE_TABLES, stagingType, type SourceTable } from './source-tables';

export const BATCH_ROWS = 10_000;

export interface SourceShape {
  /** Per table that exists: its columns (name → data_type) and row count. */
  tables: Map<string, { columns: Map<string, string>; rows: number }>;
  /** Mapped tables absent from the source (older TraitorTrack versions). */
  missing: string[];
  /** RAW_TABLES present, with their row counts. */
  raw: Array<{ name: string; rows: number }>;
  /** Every other table of the source: not imported, reported. */
  unknown: Array<{ name: string; rows: number }>;
}

type Db = Sql | TransactionSql;

export async function describeSource(src: Db): Promise<SourceShape> {
  const cols = await src<{ table_name: string; column_name: string; data_type: string }[]>`
    SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position`;
  const columns = new Map<string, Map<string, string>>();
  for (const c of cols) {
    const table = columns.get(c.table_name) ?? new Map<string, string>();
    table.set(c.column_name, c.data_type);
    columns.set(c.table_name, table);
  }
  const count = async (name: string) => Number((await src.unsafe(`SELECT count(*)::bigint AS n FROM ${quoteIdent(name)}`))[0]!.n);
  const shape: SourceShape = { tables: new Map(), missing: [], raw: [], unknown: [] };
  const problems: string[] = [];
  for (const table of SOURCE_TABLES) {
    const found = columns.get(table.name);
    if (!found) {
      if (table.required) problems.push(`table "${table.name}" is missing`);
      else shape.missing.push(table.name);
      continue;
    }
    const absent = table.columns.filter((c) => c.required && !found.has(c.name)).map((c) => c.name);
    if (absent.length > 0) problems.push(`table "${table.name}" has no column ${absent.map((a) => `"${a}"`).join(', ')}`);
    shape.tables.set(table.name, { columns: found, rows: await count(table.name) });
  }
  if (problems.length > 0) {
    throw new Error(`This does not look like a TraitorTrack database (${problems.join('; ')}). Nothing was imported.`);
  }
  const mapped = new Set<string>([...SOURCE_TABLES.map((t) => t.name), ...IGNORED_TABLES]);
  for (const name of [...columns.keys()].sort()) {
    if ((RAW_TABLES as readonly string[]).includes(name)) shape.raw.push({ name, rows: await count(name) });
    else if (!mapped.has(name)) shape.unknown.push({ name, rows: await count(name) });
  }
  return shape;
}

/** CREATE TEMP TABLE statements for the staging tables (dropped with the import's transaction). */
export function stagingDdl(): string[] {
  const ddl = SOURCE_TABLES.map((t) => {
    const extra = (t.columns.some((c) => c.kind === 'json') ? ', json_problem text' : '') + (t.derived ?? []).map((d) => `, ${d.name} text`).join('');
    return `CREATE TEMP TABLE ${t.staging} (${t.columns.map((c) => `${c.name} ${stagingType(c.kind)}`).join(', ')}${extra}) ON COMMIT DROP`;
  });
  ddl.push('CREATE TEMP TABLE s_raw (source_table text NOT NULL, source_id text NOT NULL, row jsonb NOT NULL) ON COMMIT DROP');
  return ddl;
}

/** The source SELECT: every column as text (timestamps with a zone converted to naive UTC first), NULL when absent. */
function sourceSelect(table: SourceTable, columns: Map<string, string>): string {
  const exprs = table.columns.map((c) => {
    const type = columns.get(c.name);
    if (type === undefined) return `NULL::text AS ${c.name}`;
    const q = quoteIdent(c.name);
    if (c.kind === 'ts' && type === 'timestamp with time zone') return `(${q} AT TIME ZONE 'UTC')::text AS ${c.name}`;
    return `${q}::text AS ${c.name}`;
  });
  return `SELECT ${exprs.join(', ')} FROM ${quoteIdent(table.name)} ORDER BY ${quoteIdent('id')}`;
}

function stagingInsert(table: SourceTable): string {
  const names = table.columns.map((c) => c.name);
  const casts = table.columns.map((c) => {
    if (c.kind === 'ts') return `(u.${c.name}::timestamp AT TIME ZONE 'UTC')`;
    if (c.kind === 'text') return `u.${c.name}`;
    return `u.${c.name}::${stagingType(c.kind)}`;
  });
  const all = stagingColumns(table);
  const extra = all.slice(names.length);
  const params = all.map((_, i) => `$${i + 1}::text[]`).join(', ');
  return `INSERT INTO ${table.staging} (${all.join(', ')}) SELECT ${[...casts, ...extra.map((e) => `u.${e}`)].join(', ')}
    FROM unnest(${params}) AS u(${all.join(', ')})`;
}

/**
 * TraitorTrack keeps JSON in text columns, so some of it may not be JSON: such text is kept as
 * {"unparsed": text} and the row says so (json_problem), for the report. NUL characters, which Postgres'
 * jsonb refuses, are removed the same way.
 */
export function checkedJson(text: string | null): { json: string | null; problem: boolean } {
  if (text === null || text.trim() === '') return { json: null, problem: false };
  if (!text.includes('\\u0000') && !text.includes('\u0000')) {
    try {
      JSON.parse(text);
      return { json: text, problem: false };
    } catch {
      // not JSON: wrapped below
    }
  }
  return { json: JSON.stringify({ unparsed: text.replace(/\u0000/g, '') }), problem: true };
}

/** Rows → one array per staging column: the unnest parameters. */
function columnsOf(table: SourceTable, rows: Array<Record<string, string | null>>): Array<Array<string | null>> {
  const out: Array<Array<string | null>> = table.columns.map(() => []);
  const jsonCols = table.columns.map((c, i) => (c.kind === 'json' ? i : -1)).filter((i) => i >= 0);
  const problems: Array<string | null> = [];
  for (const row of rows) {
    const bad: string[] = [];
    table.columns.forEach((c, i) => {
      const value = row[c.name] ?? null;
      if (c.kind === 'json') {
        const checked = checkedJson(value);
        if (checked.problem) bad.push(c.name);
        out[i]!.push(checked.json);
      } else {
        out[i]!.push(value);
      }
    });
    if (jsonCols.length > 0) problems.push(bad.length > 0 ? bad.join(',') : null);
  }
  if (jsonCols.length > 0) out.push(problems);
  for (const d of table.derived ?? []) out.push(rows.map((row) => d.from(row)));
  return out;
}

/** COPY's text format: tab-separated, \\N for NULL, backslash escapes for \\, tab, newline and CR. */
function copyText(columns: Array<Array<string | null>>): string {
  const rows = columns[0]?.length ?? 0;
  let out = '';
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns.length; c++) {
      const v = columns[c]![r];
      if (c > 0) out += '\t';
      out += v === null || v === undefined ? '\\N' : v.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
    }
    out += '\n';
  }
  return out;
}

function stagingColumns(table: SourceTable): string[] {
  return [...table.columns.map((c) => c.name), ...(table.columns.some((c) => c.kind === 'json') ? ['json_problem'] : []), ...(table.derived ?? []).map((d) => d.name)];
}

/** Streams the cursor into one COPY of the staging table (timestamps are read as UTC: the session's zone). */
async function copyIn(target: Sql | TransactionSql, table: SourceTable, query: AsyncIterable<Array<Record<string, string | null>>>, progress: Progress): Promise<number> {
  let copied = 0;
  const writable = await target.unsafe(`COPY ${table.staging} (${stagingColumns(table).join(', ')}) FROM STDIN`).writable();
  await pipeline(async function* () {
    for await (const rows of query) {
      yield copyText(columnsOf(table, rows));
      copied += rows.length;
      progress.increment(rows.length);
    }
  }, writable);
  return copied;
}

async function copyRows(
  query: AsyncIterable<Array<Record<string, string | null>>>,
  write: (rows: Array<Record<string, string | null>>) => Promise<unknown>,
  progress: Progress,
): Promise<number> {
  let pending: Promise<unknown> = Promise.resolve();
  let copied = 0;
  // One batch in flight to the target while the next one is read from the source.
  for await (const rows of query) {
    await pending;
    pending = write(rows).then(() => progress.increment(rows.length));
    copied += rows.length;
  }
  await pending;
  return copied;
}

export interface ExtractResult {
  shape: SourceShape;
  /** Rows copied per source table (mapped and raw). */
  copied: Record<string, number>;
}

/**
 * Describes the source and copies every mapped and raw table into the staging tables on `target`, from one
 * snapshot. The target session's time zone must be UTC (run.ts sets it for the import's transaction).
 */
export async function extract(src: Sql, target: Sql | TransactionSql, progress: Progress, useCopy: boolean): Promise<ExtractResult> {
  const copied: Record<string, number> = {};
  const shape = await src.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
    const found = await describeSource(tx);
    for (const table of SOURCE_TABLES) {
      const info = found.tables.get(table.name);
      if (!info) continue;
      progress.start(`copy ${table.name}`, info.rows);
      const insert = stagingInsert(table);
      const cursor = tx.unsafe(sourceSelect(table, info.columns)).cursor(BATCH_ROWS) as AsyncIterable<Array<Record<string, string | null>>>;
      copied[table.name] = useCopy
        ? await copyIn(target, table, cursor, progress)
        : await copyRows(cursor, (rows) => target.unsafe(insert, columnsOf(table, rows) as never), progress);
      progress.stop();
    }
    for (const raw of found.raw) {
      progress.start(`copy ${raw.name}`, raw.rows);
      const columns = (await tx<{ column_name: string }[]>`SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ${raw.name}`).map((c) => c.column_name);
      // Rows without an id column are named by their content, which stays the same across runs.
      const idExpr = columns.includes('id') ? 't.id::text' : 'md5(row_to_json(t)::text)';
      const cursor = tx.unsafe(`SELECT ${idExpr} AS id, row_to_json(t)::text AS row FROM ${quoteIdent(raw.name)} t ORDER BY 1`).cursor(BATCH_ROWS) as AsyncIterable<
        Array<Record<string, string | null>>
      >;
      copied[raw.name] = await copyRows(
        cursor,
        (rows) =>
          target.unsafe(`INSERT INTO s_raw (source_table, source_id, row) SELECT $1, u.id, u.row::jsonb FROM unnest($2::text[], $3::text[]) AS u(id, row)`, [
            raw.name,
            rows.map((r) => r.id ?? ''),
            rows.map((r) => r.row ?? 'null'),
          ] as never),
        progress,
      );
      progress.stop();
    }
    return found;
  });
  return { shape, copied };
}
