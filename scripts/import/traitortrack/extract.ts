// Step 1: copy TraitorTrack's rows, as they are, into staging tables of the import's TraceTrack session.
// The source is read in ONE read-only REPEATABLE READ transaction (one consistent snapshot across tables,
// allowed on a hot standby too) with COPY … TO STDOUT (pg + pg-copy-streams: postgres.js's COPY readable
// stalled the connection after a stream that had been paused for back-pressure). Lines stream through this
// process, so the two databases may be on different servers and memory holds one batch. They go to the
// target through COPY … FROM STDIN, or, where the server cannot take COPY over the wire (the embedded
// PGlite), in batches of INSERT … SELECT FROM unnest().
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
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

type Query = <T>(text: string, params?: unknown[]) => Promise<T[]>;

export async function describeSource(query: Query): Promise<SourceShape> {
  const cols = await query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position`,
  );
  const columns = new Map<string, Map<string, string>>();
  for (const c of cols) {
    const table = columns.get(c.table_name) ?? new Map<string, string>();
    table.set(c.column_name, c.data_type);
    columns.set(c.table_name, table);
  }
  const count = async (name: string) => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(name)}`))[0]!.n);
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
  return `SELECT ${exprs.join(', ')} FROM ${quoteIdent(table.name)}`;
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

// ---- Lines of COPY's text format, from the source's COPY … TO STDOUT.

const UNESCAPE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** A field of COPY's text format as text (null for \N). */
export function copyUnescape(field: string): string | null {
  if (field === '\\N') return null;
  return field.includes('\\') ? field.replace(/\\(.)/g, (_, c: string) => UNESCAPE[c] ?? c) : field;
}

/** Text as a field of COPY's text format. */
export function copyEscape(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

function stagingColumns(table: SourceTable): string[] {
  return [...table.columns.map((c) => c.name), ...(table.columns.some((c) => c.kind === 'json') ? ['json_problem'] : []), ...(table.derived ?? []).map((d) => d.name)];
}

/** The per-line rewrite for tables with JSON or derived columns; null when lines pass through unchanged. */
function lineRewriter(table: SourceTable): ((line: string) => string) | null {
  const jsonAt = table.columns.map((c, i) => (c.kind === 'json' ? i : -1)).filter((i) => i >= 0);
  const derived = table.derived ?? [];
  if (jsonAt.length === 0 && derived.length === 0) return null;
  return (line) => {
    const fields = line.split('\t');
    const bad: string[] = [];
    for (const i of jsonAt) {
      const checked = checkedJson(copyUnescape(fields[i]!));
      if (checked.problem) bad.push(table.columns[i]!.name);
      fields[i] = copyEscape(checked.json);
    }
    if (jsonAt.length > 0) fields.push(copyEscape(bad.length > 0 ? bad.join(',') : null));
    if (derived.length > 0) {
      const row: Record<string, string | null> = {};
      table.columns.forEach((c, i) => (row[c.name] = copyUnescape(fields[i]!)));
      for (const d of derived) fields.push(copyEscape(d.from(row)));
    }
    return fields.join('\t');
  };
}

/** Whole lines, in batches of about BATCH_ROWS, from a COPY … TO STDOUT stream. */
async function* copyLines(stream: Readable, name: string): AsyncGenerator<string[]> {
  // Decodes UTF-8 across chunk boundaries (a chunk may end inside a character, or inside a line).
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let batch: string[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    const end = text.lastIndexOf('\n');
    rest = text.slice(end + 1);
    if (end < 0) continue;
    for (const line of text.slice(0, end).split('\n')) batch.push(line);
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (rest + decoder.end() !== '') throw new Error(`COPY of ${name} ended inside a row`);
  if (batch.length > 0) yield batch;
}

/** Writes batches of staged lines into one staging table: COPY … FROM STDIN, or unnest() batches. */
async function writeLines(
  target: Sql | TransactionSql,
  staging: string,
  columns: string[],
  casts: string[],
  lines: AsyncIterable<string[]>,
  useCopy: boolean,
  progress: Progress,
): Promise<number> {
  let rows = 0;
  if (useCopy) {
    const writable = await target.unsafe(`COPY ${staging} (${columns.join(', ')}) FROM STDIN`).writable();
    await pipeline(async function* () {
      for await (const batch of lines) {
        rows += batch.length;
        progress.increment(batch.length);
        yield `${batch.join('\n')}\n`;
      }
    }, writable);
    return rows;
  }
  const params = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const insert = `INSERT INTO ${staging} (${columns.join(', ')}) SELECT ${casts.join(', ')} FROM unnest(${params}) AS u(${columns.join(', ')})`;
  let pending: Promise<unknown> = Promise.resolve();
  // One batch in flight to the target while the next one is read from the source.
  for await (const batch of lines) {
    const cols: Array<Array<string | null>> = columns.map(() => []);
    for (const line of batch) line.split('\t').forEach((field, i) => cols[i]?.push(copyUnescape(field)));
    await pending;
    pending = target.unsafe(insert, cols as never).then(() => progress.increment(batch.length));
    rows += batch.length;
  }
  await pending;
  return rows;
}

/** The unnest path's casts for a staging table's columns (COPY casts by itself). */
function stagingCasts(table: SourceTable): string[] {
  const casts = table.columns.map((c) => {
    if (c.kind === 'ts') return `(u.${c.name}::timestamp AT TIME ZONE 'UTC')`;
    if (c.kind === 'text') return `u.${c.name}`;
    return `u.${c.name}::${stagingType(c.kind)}`;
  });
  return [...casts, ...stagingColumns(table).slice(table.columns.length).map((e) => `u.${e}`)];
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
export async function extract(sourceUrl: string, target: Sql | TransactionSql, progress: Progress, useCopy: boolean): Promise<ExtractResult> {
  const client = new pg.Client({ connectionString: sourceUrl, application_name: 'tracetrack-import' });
  // An error of the idle client (the server went away) surfaces in the query that needs it, not as a crash.
  client.on('error', () => {});
  await client.connect();
  const query: Query = async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[];
  const copied: Record<string, number> = {};
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const shape = await describeSource(query);
    for (const table of SOURCE_TABLES) {
      const info = shape.tables.get(table.name);
      if (!info) continue;
      progress.start(`copy ${table.name}`, info.rows);
      const rewrite = lineRewriter(table);
      const stream = client.query(copyTo(`COPY (${sourceSelect(table, info.columns)}) TO STDOUT`));
      const lines = (async function* () {
        for await (const batch of copyLines(stream, table.name)) yield rewrite ? batch.map(rewrite) : batch;
      })();
      copied[table.name] = await writeLines(target, table.staging, stagingColumns(table), stagingCasts(table), lines, useCopy, progress);
      progress.stop();
    }
    for (const raw of shape.raw) {
      progress.start(`copy ${raw.name}`, raw.rows);
      const columns = (await query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
        [raw.name],
      )).map((c) => c.column_name);
      // Rows without an id column are named by their content, which stays the same across runs.
      const idExpr = columns.includes('id') ? 't.id::text' : 'md5(row_to_json(t)::text)';
      const name = copyEscape(raw.name);
      const stream = client.query(copyTo(`COPY (SELECT ${idExpr}, row_to_json(t)::text FROM ${quoteIdent(raw.name)} t) TO STDOUT`));
      const lines = (async function* () {
        for await (const batch of copyLines(stream, raw.name)) yield batch.map((line) => `${name}\t${line}`);
      })();
      copied[raw.name] = await writeLines(target, 's_raw', ['source_table', 'source_id', 'row'], ['u.source_table', 'u.source_id', 'u.row::jsonb'], lines, useCopy, progress);
      progress.stop();
    }
    await client.query('COMMIT');
    return { shape, copied };
  } finally {
    await client.end().catch(() => {});
  }
}
