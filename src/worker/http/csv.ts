// Streamed CSV: pages of a keyset list are fetched one after another and written out as they come, so an
// export of any size holds one page in memory. Quoting (commas, quotes, newlines) is csv-stringify's job;
// cells that a spreadsheet would run as a formula are neutralised here (CSV injection).
import { stringify } from 'csv-stringify/sync';
import type { Db, Row } from '../../db/client';
import { walkPages, type KeysetList, type KeyValue } from '../../db/list';

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvColumn<R> {
  header: string;
  value(row: R): CsvCell;
}

/** Rows per page of an export: big enough for few round trips, small enough to stream smoothly. */
export const EXPORT_PAGE_SIZE = 2000;

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell a spreadsheet will not evaluate: text starting with = + - @ tab or CR gets a leading apostrophe
 * (OWASP's advice). Numbers stay numbers (a negative number is not a formula).
 */
export function safeCell(value: CsvCell): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvLines<R>(columns: readonly CsvColumn<R>[], rows: readonly R[], withHeader: boolean): string {
  const records: Array<Array<string | number>> = withHeader ? [columns.map((c) => c.header)] : [];
  for (const row of rows) records.push(columns.map((c) => safeCell(c.value(row))));
  // CRLF as RFC 4180 says; every field with a comma, quote or line break quoted, quotes doubled.
  return stringify(records, { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/** A file name safe for Content-Disposition (ASCII letters, digits, dot, dash, underscore). */
export function attachmentName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || 'export.csv';
}

/**
 * The CSV response. `db` must stay open until the stream ends: it is closed by `close` when the last page
 * is written, on error, or when the client goes away. The first page is fetched before the response is
 * made, so a failing query still gets a JSON error status instead of a cut-off 200.
 */
export async function csvResponse<R extends Row, K extends readonly KeyValue[]>(options: {
  db: Db;
  close: () => Promise<void>;
  spec: KeysetList<R, K>;
  columns: readonly CsvColumn<R>[];
  filename: string;
  pageSize?: number;
}): Promise<Response> {
  const { db, close, spec, columns } = options;
  const pages = walkPages(db, spec, options.pageSize ?? EXPORT_PAGE_SIZE);
  const encoder = new TextEncoder();
  let first: IteratorResult<R[]>;
  try {
    first = await pages.next();
  } catch (err) {
    await close();
    throw err;
  }
  let headerSent = false;
  let closed = false;
  const finish = async () => {
    if (closed) return;
    closed = true;
    await close().catch(() => undefined);
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const page = headerSent ? await pages.next() : first;
        const withHeader = !headerSent;
        headerSent = true;
        if (page.done) {
          if (withHeader) controller.enqueue(encoder.encode(csvLines(columns, [], true)));
          controller.close();
          await finish();
          return;
        }
        controller.enqueue(encoder.encode(csvLines(columns, page.value, withHeader)));
      } catch (err) {
        console.error('CSV export failed mid-stream', err);
        controller.error(err);
        await finish();
      }
    },
    async cancel() {
      await pages.return(undefined);
      await finish();
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${attachmentName(options.filename)}"`,
      'Cache-Control': 'no-store',
    },
  });
}
