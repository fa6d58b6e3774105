// A file's bytes to a sheet of cells: an .xlsx workbook (its first sheet) or CSV text. Runs in the parsing
// Web Worker; plain Node tests run it too with the universal reader. A file that is neither says so.
import Papa from 'papaparse';
import { fileTooLarge, type FileProblem } from '../../../shared/import-rows';

export type SheetFormat = 'xlsx' | 'csv';

export interface DecodedSheet {
  format: SheetFormat;
  table: unknown[][];
}

/** Reads the first sheet of an .xlsx workbook (read-excel-file's `readSheet`, per environment). */
export type XlsxReader = (bytes: ArrayBuffer) => Promise<unknown[][]>;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** `key`: the same reason's words in the UI's catalog (import.why.*), filled with the file's name and `params`. */
function notASpreadsheet(name: string, why: string, key: string, params: Record<string, string | number> = {}): FileProblem {
  return { code: 'NOT_A_SPREADSHEET', message: `${name} is not a spreadsheet we can read: ${why} Upload an .xlsx workbook or a .csv file.`, key, params: { name, ...params } };
}

export async function decodeFile(bytes: ArrayBuffer, name: string, readXlsx: XlsxReader): Promise<DecodedSheet | FileProblem> {
  const big = fileTooLarge(bytes.byteLength);
  if (big) return big;
  if (bytes.byteLength === 0) return { code: 'EMPTY', message: `${name} is empty (0 bytes).`, key: 'import.why.zeroBytes', params: { name } };
  const head = new Uint8Array(bytes, 0, Math.min(8, bytes.byteLength));
  const lower = name.toLowerCase();
  if (startsWith(head, ZIP)) {
    try {
      return { format: 'xlsx', table: await readXlsx(bytes) };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return notASpreadsheet(name, `it is a ZIP file but not an Excel workbook (${reason}).`, 'import.why.zipNotXlsx', { reason });
    }
  }
  if (startsWith(head, OLE)) return notASpreadsheet(name, 'it is an old binary Excel file (.xls); save it as .xlsx or .csv first.', 'import.why.oldXls');
  if (lower.endsWith('.xlsx')) return notASpreadsheet(name, 'its name ends in .xlsx but its content is not an Excel workbook.', 'import.why.xlsxName');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return notASpreadsheet(name, 'it is neither an Excel workbook nor UTF-8 text.', 'import.why.notUtf8');
  }
  if (text.includes('\u0000')) return notASpreadsheet(name, 'it holds binary data, not text.', 'import.why.binary');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Blank rows are kept (row numbers must match the spreadsheet's), so the delimiter comes from row 1.
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false, delimiter: guessDelimiter(text) });
  const fatal = parsed.errors.find((e) => e.code === 'MissingQuotes' || e.code === 'InvalidQuotes');
  if (fatal) return notASpreadsheet(name, `row ${(fatal.row ?? 0) + 1} has an unclosed quote.`, 'import.why.unclosedQuote', { row: (fatal.row ?? 0) + 1 });
  return { format: 'csv', table: parsed.data };
}

/** The delimiter of the header line: the most frequent of , ; tab | outside quotes (comma when none). */
export function guessDelimiter(text: string): string {
  const end = text.search(/\r?\n/);
  const line = end < 0 ? text : text.slice(0, end);
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0], ['|', 0]]);
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}
