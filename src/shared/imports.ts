// Spreadsheet import (issue 13 point 3): the rows a browser sends to POST /api/imports/rows and the outcome
// the server answers for each, shared by the Worker, the UI's parsing Web Worker and the tests.
// A file holds either child→parent rows ("links") or parent→bill rows ("bills").
import { z } from 'zod';
import { MAX_RAW_QR_LENGTH } from './qr';
import { IMPORT_BATCH_ROWS, MAX_IMPORT_ROWS, type BillRow, type LinkRow } from './import-types';

export * from './import-types';

/** The file's SHA-256 in hex: with the row number it makes each row's scanId, so re-sending is harmless. */
export const importIdSchema = z
  .string({ error: 'importId must be a string' })
  .regex(/^[0-9a-f]{64}$/, 'importId must be the file’s SHA-256 as 64 lowercase hex digits');

const cell = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .min(1, `${field} is empty`)
    .max(MAX_RAW_QR_LENGTH, `${field} is at most ${MAX_RAW_QR_LENGTH} characters`);

/** The row number as shown in the spreadsheet (the header is row 1, the first data row is 2). */
const rowNumber = z.number({ error: 'row must be a number' }).int('row must be a whole number').min(2, 'row starts at 2 (row 1 is the header)').max(MAX_IMPORT_ROWS + 1, `row is at most ${MAX_IMPORT_ROWS + 1}`);

export const linkRowSchema = z.strictObject({ row: rowNumber, childQr: cell('childQr'), parentQr: cell('parentQr') });
export const billRowSchema = z.strictObject({ row: rowNumber, parentQr: cell('parentQr'), billNo: cell('billNo') });
// The schemas give exactly the shapes of import-types.ts.
const _link: z.ZodType<LinkRow> = linkRowSchema;
const _bill: z.ZodType<BillRow> = billRowSchema;
void _link;
void _bill;

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

