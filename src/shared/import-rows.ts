// From a spreadsheet's cells to the rows an import sends (pure: the UI's parsing Web Worker runs it, and
// plain Node tests). Row 1 is the header; its column names say what the file holds:
//   child→parent rows: a child column and a parent column ("child_qr", "parent_qr", or aliases below);
//   parent→bill rows:  a parent column and a bill column ("parent_qr", "bill_no").
// Every data row gets one answer: sent to the server, or invalid / in conflict with an earlier row of the
// same file (a child put in two parents, a parent on two bills, a QR used as child and as parent).
import { isBillNo, normalizeBillNo, BILL_NO_FORMAT } from './bill-no';
import {
  IMPORT_BATCH_ROWS,
  MAX_IMPORT_FILE_BYTES,
  MAX_IMPORT_ROWS,
  type BillRow,
  type ImportKind,
  type LinkRow,
  type RowOutcome,
  type RowResult,
} from './import-types';
import { CHILD_FORMAT, isChildQr, isParentQr, MAX_RAW_QR_LENGTH, normalizeQr, PARENT_FORMAT } from './qr';

export type FileProblemCode = 'NOT_A_SPREADSHEET' | 'MISSING_COLUMNS' | 'EMPTY' | 'TOO_LARGE' | 'TOO_MANY_ROWS';

export interface FileProblem {
  code: FileProblemCode;
  /** English; the UI shows `key` (import.why.*) with `params` in the user's language. */
  message: string;
  key?: string;
  params?: Record<string, string | number>;
}

/** A problem's English words and the catalog key (import.why.*) and values of the same words for the UI. */
type Why = { code: string; message: string; key: string; params?: Record<string, string | number> };

const ALIASES = {
  child: ['child_qr', 'child', 'child_bag', 'child_bag_qr', 'child_id', 'bag_qr'],
  parent: ['parent_qr', 'parent', 'parent_bag', 'parent_bag_qr', 'parent_id'],
  bill: ['bill_no', 'bill', 'bill_number', 'bill_id', 'billno'],
} as const;

/** "Child QR", " child-qr " and "CHILD_QR" are one column name. */
export function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export interface Columns {
  kind: ImportKind;
  /** Column index of the child (links) or the parent (bills): the thing placed. */
  item: number;
  /** Column index of the parent (links) or the bill (bills): where it goes. */
  target: number;
}

export function detectColumns(header: readonly string[]): Columns | FileProblem {
  const names = header.map((h) => normalizeHeader(h));
  const find = (aliases: readonly string[]) => names.findIndex((n) => aliases.includes(n));
  const child = find(ALIASES.child);
  const parent = find(ALIASES.parent);
  const bill = find(ALIASES.bill);
  if (child >= 0 && parent >= 0) return { kind: 'links', item: child, target: parent };
  if (parent >= 0 && bill >= 0) return { kind: 'bills', item: parent, target: bill };
  const shown = names.filter((n) => n !== '').slice(0, 8).join(', ') || 'none';
  return {
    code: 'MISSING_COLUMNS',
    key: 'import.why.missingColumns',
    params: { found: shown },
    message:
      `Row 1 must name the columns: "child_qr" and "parent_qr" for child→parent rows, or "parent_qr" and "bill_no" ` +
      `for parent→bill rows. Found: ${shown}.`,
  };
}

/** A cell as text: numbers, dates and booleans from a workbook read as what the sheet shows. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return String(value);
}

export type SentRow = LinkRow | BillRow;

export interface ParsedImport {
  kind: ImportKind;
  /** The header as in the file (for the result file). */
  header: string[];
  /** Data rows that were not blank. */
  total: number;
  /** Rows to send, in file order. */
  rows: SentRow[];
  /** Rows answered without asking the server: malformed, or in conflict with an earlier row of the file. */
  local: RowResult[];
}

export function fileTooLarge(bytes: number): FileProblem | null {
  if (bytes <= MAX_IMPORT_FILE_BYTES) return null;
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return { code: 'TOO_LARGE', message: `The file is ${mb(bytes)}; the largest accepted is ${mb(MAX_IMPORT_FILE_BYTES)}. Split it into smaller files.`, key: 'import.why.tooLarge', params: { size: mb(bytes), max: mb(MAX_IMPORT_FILE_BYTES) } };
}

/** Turns a sheet (row 1 the header) into rows to send and rows answered here, or the file's problem. */
export function parseTable(table: readonly (readonly unknown[])[]): ParsedImport | FileProblem {
  const firstFilled = table.findIndex((r) => r.some((c) => cellText(c).trim() !== ''));
  if (firstFilled < 0) return { code: 'EMPTY', message: 'The file is empty: it has no header row and no data rows.', key: 'import.why.empty' };
  if (firstFilled > 0) {
    return { code: 'MISSING_COLUMNS', message: `Row 1 is blank: the column names (e.g. "child_qr", "parent_qr") must be in row 1.`, key: 'import.why.blankHeader' };
  }
  const header = table[0]!.map((c) => cellText(c).trim());
  const columns = detectColumns(header);
  if ('code' in columns) return columns;
  const { kind } = columns;
  const rows: SentRow[] = [];
  const local: RowResult[] = [];
  let total = 0;
  // Where each item went first in this file (row number, target), and which QRs the file uses as parents.
  const placed = new Map<string, { row: number; target: string }>();
  const parentsInFile = new Set<string>();
  const childrenInFile = new Map<string, number>();
  for (let i = 1; i < table.length; i++) {
    const cells = table[i]!;
    if (!cells.some((c) => cellText(c).trim() !== '')) continue; // blank rows are not rows
    total++;
    if (total > MAX_IMPORT_ROWS) {
      return { code: 'TOO_MANY_ROWS', message: `The file has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} data rows; split it into smaller files.`, key: 'import.why.tooManyRows', params: { max: MAX_IMPORT_ROWS } };
    }
    const row = i + 1;
    const rawItem = cellText(cells[columns.item]);
    const rawTarget = cellText(cells[columns.target]);
    const problem = kind === 'links' ? checkLink(rawItem, rawTarget) : checkBill(rawItem, rawTarget);
    if (problem) {
      local.push({ row, outcome: 'invalid', ...problem });
      continue;
    }
    const item = normalizeQr(rawItem);
    const target = kind === 'links' ? normalizeQr(rawTarget) : normalizeBillNo(rawTarget);
    if (kind === 'links') {
      // A QR has one role: the file must not use it as a child in one row and as a parent in another.
      if (parentsInFile.has(item) || childrenInFile.has(target)) {
        const qr = parentsInFile.has(item) ? item : target;
        local.push({ row, outcome: 'conflict', code: 'QR_ROLE_CONFLICT', message: `${qr} is used both as a child and as a parent in this file.`, key: 'import.why.bothRoles', params: { qr } });
        continue;
      }
    }
    const earlier = placed.get(item);
    if (earlier && earlier.target !== target) {
      local.push(
        kind === 'links'
          ? { row, outcome: 'conflict', code: 'CHILD_IN_OTHER_PARENT', message: `${item} is put in ${earlier.target} by row ${earlier.row} of this file.`, key: 'import.why.childTwice', params: { qr: item, target: earlier.target, row: earlier.row } }
          : { row, outcome: 'conflict', code: 'PARENT_ON_OTHER_BILL', message: `${item} is put on bill ${earlier.target} by row ${earlier.row} of this file.`, key: 'import.why.parentTwice', params: { qr: item, target: earlier.target, row: earlier.row } },
      );
      continue;
    }
    if (!earlier) placed.set(item, { row, target });
    if (kind === 'links') {
      parentsInFile.add(target);
      if (!childrenInFile.has(item)) childrenInFile.set(item, row);
      rows.push({ row, childQr: item, parentQr: target });
    } else {
      rows.push({ row, parentQr: item, billNo: target });
    }
  }
  if (total === 0) return { code: 'EMPTY', message: 'The file has a header row but no data rows.', key: 'import.why.noDataRows' };
  return { kind, header, total, rows, local };
}

function tooLong(value: string, field: 'child' | 'parent'): Why | null {
  if (value.length <= MAX_RAW_QR_LENGTH) return null;
  return { code: 'INVALID_QR', message: `The ${field} QR is longer than ${MAX_RAW_QR_LENGTH} characters.`, key: `import.why.${field}TooLong`, params: { max: MAX_RAW_QR_LENGTH } };
}

function checkLink(rawChild: string, rawParent: string): Why | null {
  const child = normalizeQr(rawChild);
  const parent = normalizeQr(rawParent);
  if (child === '') return { code: 'INVALID_QR', message: 'The child QR is empty.', key: 'import.why.childEmpty' };
  if (parent === '') return { code: 'INVALID_QR', message: 'The parent QR is empty.', key: 'import.why.parentEmpty' };
  const long = tooLong(child, 'child') ?? tooLong(parent, 'parent');
  if (long) return long;
  if (isParentQr(child)) return { code: 'QR_ROLE_CONFLICT', message: `${child} is a parent label, not a child bag.`, key: 'import.why.childIsParent', params: { qr: child } };
  if (!isChildQr(child)) return { code: 'INVALID_QR', message: `"${child}" is not a child QR: expected ${CHILD_FORMAT}.`, key: 'import.why.notChild', params: { qr: child, format: CHILD_FORMAT } };
  if (!isParentQr(parent)) return { code: 'INVALID_QR', message: `"${parent}" is not a parent QR: expected ${PARENT_FORMAT}.`, key: 'import.why.notParent', params: { qr: parent, format: PARENT_FORMAT } };
  return null;
}

function checkBill(rawParent: string, rawBill: string): Why | null {
  const parent = normalizeQr(rawParent);
  const bill = normalizeBillNo(rawBill);
  if (parent === '') return { code: 'INVALID_QR', message: 'The parent QR is empty.', key: 'import.why.parentEmpty' };
  if (bill === '') return { code: 'INVALID_INPUT', message: 'The bill number is empty.', key: 'import.why.billEmpty' };
  const long = tooLong(parent, 'parent');
  if (long) return long;
  if (!isParentQr(parent)) {
    return isChildQr(parent)
      ? { code: 'INVALID_QR', message: `"${parent}" is a child bag label; bills take parent bags (${PARENT_FORMAT}).`, key: 'import.why.parentIsChild', params: { qr: parent, format: PARENT_FORMAT } }
      : { code: 'INVALID_QR', message: `"${parent}" is not a parent QR: expected ${PARENT_FORMAT}.`, key: 'import.why.notParent', params: { qr: parent, format: PARENT_FORMAT } };
  }
  if (!isBillNo(bill)) return { code: 'INVALID_INPUT', message: `"${bill.slice(0, 64)}" is not a bill number: expected ${BILL_NO_FORMAT}.`, key: 'import.why.notBill', params: { bill: bill.slice(0, 64), format: BILL_NO_FORMAT } };
  return null;
}

/**
 * The same checks for a row as sent (the route runs them too: a client that skipped them gets each bad row
 * answered with its own problem, not with whatever the parent or bill object would say first).
 */
export function sentRowProblem(row: SentRow): Why | null {
  return 'childQr' in row ? checkLink(row.childQr, row.parentQr) : checkBill(row.parentQr, row.billNo);
}

/** Where a row goes (its parent or its bill): rows of one target travel in one batch when they fit. */
export function targetOf(row: SentRow): string {
  return 'childQr' in row ? row.parentQr : row.billNo;
}

/**
 * Batches of at most `max` rows, keeping each target's rows together (so one request sees a parent's or a
 * bill's rows in turn and a dry run counts capacity across them), in the order targets first appear.
 */
export function batchRows<T extends SentRow>(rows: readonly T[], max = IMPORT_BATCH_ROWS): T[][] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const key = targetOf(r);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  const batches: T[][] = [];
  let current: T[] = [];
  for (const group of groups.values()) {
    for (let start = 0; start < group.length; start += max) {
      const part = group.slice(start, start + max);
      if (current.length + part.length > max) {
        batches.push(current);
        current = [];
      }
      current.push(...part);
    }
  }
  if (current.length) batches.push(current);
  return batches;
}

/** Words for each outcome in the result file (a column anyone can filter on). */
export const OUTCOME_WORDS: Record<RowOutcome, string> = {
  linked: 'linked',
  added: 'added',
  would_link: 'would link',
  would_add: 'would add',
  already: 'already there',
  conflict: 'conflict',
  invalid: 'invalid',
};

/** The words of the result file's two columns: English by default, the user's language from the import screen. */
export interface ResultWords {
  header: readonly [outcome: string, detail: string];
  outcome: Readonly<Record<RowOutcome, string>>;
  /** A row's detail (its code stays in front, so the file can be filtered on it in any language). */
  detail(r: RowResult): string;
}

export const ENGLISH_RESULT_WORDS: ResultWords = { header: ['outcome', 'detail'], outcome: OUTCOME_WORDS, detail: (r) => r.message ?? '' };

/** The uploaded sheet with two more columns, "outcome" and "detail", for every data row. */
export function resultTable(table: readonly (readonly unknown[])[], results: ReadonlyMap<number, RowResult>, words: ResultWords = ENGLISH_RESULT_WORDS): string[][] {
  const out: string[][] = [];
  table.forEach((cells, i) => {
    const texts = cells.map((c) => cellText(c));
    if (i === 0) {
      out.push([...texts, ...words.header]);
      return;
    }
    const r = results.get(i + 1);
    out.push([...texts, r ? words.outcome[r.outcome] : '', r ? [r.code, words.detail(r)].filter(Boolean).join(': ') : '']);
  });
  // Every row as wide as the header, so spreadsheet programs line the columns up.
  const width = Math.max(...out.map((r) => r.length));
  for (const r of out) {
    if (r.length < width) {
      const extra = r.splice(r.length - 2, 2);
      while (r.length < width - 2) r.push('');
      r.push(...extra);
    }
  }
  return out;
}

/** Counts of each outcome, for the summary on screen. */
export function countOutcomes(results: Iterable<RowResult>): Record<RowOutcome, number> {
  const counts = { linked: 0, added: 0, would_link: 0, would_add: 0, already: 0, conflict: 0, invalid: 0 } satisfies Record<RowOutcome, number>;
  for (const r of results) counts[r.outcome]++;
  return counts;
}
