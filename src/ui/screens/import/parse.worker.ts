// The parsing Web Worker of the import screen: reads the file (xlsx or CSV), hashes it, turns the sheet into
// rows to send, and later writes the result file, all off the page's thread so 100,000 rows never freeze it.
// It keeps the sheet between the two, so the result file is the uploaded sheet with two more columns.
import Papa from 'papaparse';
import { readSheet } from 'read-excel-file/web-worker';
import writeXlsxFile from 'write-excel-file/universal';
import { batchRows, countOutcomes, parseTable, resultTable } from '../../../shared/import-rows';
import type { RowResult } from '../../../shared/import-types';
import { translator } from '../../i18n/translate';
import { decodeFile, type SheetFormat } from './decode';
import type { FileWords, WorkerReply, WorkerRequest } from './worker-protocol';

let sheet: { table: unknown[][]; format: SheetFormat; name: string; local: RowResult[] } | null = null;

/** Rows answered here that the page lists on screen (all of them are in the result file). */
const LOCAL_SHOWN = 50;

const reply = (message: WorkerReply) => (self as unknown as Worker).postMessage(message);

async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function parse(file: File): Promise<void> {
  sheet = null;
  reply({ type: 'phase', phase: 'reading' });
  const bytes = await file.arrayBuffer();
  const decoded = await decodeFile(bytes, file.name, async (b) => (await readSheet(b)) as unknown[][]);
  if ('code' in decoded) return reply({ type: 'problem', problem: decoded });
  reply({ type: 'phase', phase: 'checking' });
  const parsed = parseTable(decoded.table);
  if ('code' in parsed) return reply({ type: 'problem', problem: parsed });
  sheet = { table: decoded.table, format: decoded.format, name: file.name, local: parsed.local };
  const batches = batchRows(parsed.rows).map((b) => ({ rows: JSON.stringify(b), size: b.length }));
  reply({
    type: 'parsed',
    format: decoded.format,
    importId: await sha256(bytes),
    summary: {
      kind: parsed.kind,
      total: parsed.total,
      toSend: parsed.rows.length,
      batches,
      localCounts: countOutcomes(parsed.local),
      localFirst: parsed.local.slice(0, LOCAL_SHOWN),
    },
  });
}

async function result(json: string, dryRun: boolean, words: FileWords): Promise<void> {
  if (!sheet) return reply({ type: 'problem', problem: { code: 'EMPTY', message: 'Choose the file again: the page was reloaded.', key: 'import.why.reloaded' } });
  const results = new Map<number, RowResult>();
  for (const r of sheet.local) results.set(r.row, r);
  for (const r of JSON.parse(json) as RowResult[]) results.set(r.row, r);
  const tr = translator(words.locale);
  const table = resultTable(sheet.table, results, {
    header: words.header,
    outcome: words.outcome,
    detail: (r) => (r.key && words.why[r.key] !== undefined ? tr.text(words.why[r.key], r.params) : (r.message ?? '')),
  });
  const base = sheet.name.replace(/\.(xlsx|csv|txt)$/i, '');
  const suffix = dryRun ? 'dry-run' : 'result';
  if (sheet.format === 'xlsx') {
    const blob = await writeXlsxFile(table).toBlob();
    return reply({ type: 'file', blob, name: `${base}-${suffix}.xlsx` });
  }
  const csv = Papa.unparse(table, { newline: '\r\n' });
  reply({ type: 'file', blob: new Blob([csv], { type: 'text/csv;charset=utf-8' }), name: `${base}-${suffix}.csv` });
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  const run = msg.type === 'parse' ? parse(msg.file) : result(msg.results, msg.dryRun, msg.words);
  run.catch((err: unknown) => {
    const reason = err instanceof Error ? err.message : String(err);
    reply({ type: 'problem', problem: { code: 'NOT_A_SPREADSHEET', message: `The file could not be read: ${reason}`, key: 'import.why.unreadable', params: { reason } } });
  });
};
