// Spreadsheet import (issue 13 point 3): the rows a browser sends to POST /api/imports/rows and the outcome
// the server answers for each, shared by the Worker, the UI's parsing Web Worker and the tests.
// A file holds either child→parent rows ("links") or parent→bill rows ("bills").
import { z } from 'zod';
import { MAX_RAW_QR_LENGTH } from './qr';

export const IMPORT_KINDS = ['links', 'bills'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Largest file the browser accepts, and most data rows in one file (both say so by name when refused). */
export const MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;
/** Rows per request: one batch is one request, at most this many rows. */
export const IMPORT_BATCH_ROWS = 250;
/** Body limit of the route (a full batch of the longest QRs fits). */
export const IMPORT_BODY_BYTES = 64 * 1024;

/** The file's SHA-256 in hex: with the row number it makes each row's scanId, so re-sending is harmless. */
export const importIdSchema = z
  .string({ error: 'importId must be a string' })
  .regex(/^[0-9a-f]{64}$/, 'importId must be the file’s SHA-256 as 64 lowercase hex digits');

/** The scanId of one row of one file: the same file and row always give the same id (≤ 64 chars). */
export function importScanId(importId: string, row: number): string {
  return `imp-${importId.slice(0, 40)}-${row}`;
}

const cell = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .min(1, `${field} is empty`)
    .max(MAX_RAW_QR_LENGTH, `${field} is at most ${MAX_RAW_QR_LENGTH} characters`);

/** The row number as shown in the spreadsheet (the header is row 1, the first data row is 2). */
const rowNumber = z.number({ error: 'row must be a number' }).int('row must be a whole number').min(2, 'row starts at 2 (row 1 is the header)').max(MAX_IMPORT_ROWS + 1, `row is at most ${MAX_IMPORT_ROWS + 1}`);

export const linkRowSchema = z.strictObject({ row: rowNumber, childQr: cell('childQr'), parentQr: cell('parentQr') });
export const billRowSchema = z.strictObject({ row: rowNumber, parentQr: cell('parentQr'), billNo: cell('billNo') });
export type LinkRow = z.infer<typeof linkRowSchema>;
export type BillRow = z.infer<typeof billRowSchema>;

const common = {
  importId: importIdSchema,
  dryRun: z.boolean({ error: 'dryRun must be true or false' }),
  /** Name of the uploaded file, for the audit log only. */
  fileName: z.string({ error: 'fileName must be a string' }).trim().max(200, 'fileName is at most 200 characters').optional(),
};

const rows = <T extends z.ZodType>(row: T) =>
  z
    .array(row, { error: 'rows must be a list' })
    .min(1, 'rows is empty')
    .max(IMPORT_BATCH_ROWS, `rows holds at most ${IMPORT_BATCH_ROWS} rows per request`)
    .refine((list) => new Set(list.map((r) => (r as { row: number }).row)).size === list.length, 'rows has the same row number twice');

export const importRowsBodySchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      ...common,
      kind: z.literal('links'),
      /** The dispatch area of parents the file creates (needed when the uploader has no area of their own). */
      areaId: z.number({ error: 'areaId must be a number' }).int().positive().optional(),
      rows: rows(linkRowSchema),
    }),
    z.strictObject({ ...common, kind: z.literal('bills'), rows: rows(billRowSchema) }),
  ],
  { error: 'kind must be "links" or "bills"' },
);
export type ImportRowsBody = z.infer<typeof importRowsBodySchema>;

/**
 * What happened (or, in a dry run, would happen) to one row:
 * linked / added: the link or bill line was made; would_link / would_add: a dry run says it would be;
 * already: it is there already (nothing to do); conflict: refused by a rule (code and message say which);
 * invalid: the row itself is malformed (found while parsing, never sent).
 */
export const ROW_OUTCOMES = ['linked', 'added', 'would_link', 'would_add', 'already', 'conflict', 'invalid'] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

export interface RowResult {
  row: number;
  outcome: RowOutcome;
  /** Error code for conflicts and invalid rows (e.g. CHILD_IN_OTHER_PARENT, PARENT_FULL, BILL_FULL). */
  code?: string;
  message?: string;
}

export interface ImportRowsResponse {
  results: RowResult[];
}
