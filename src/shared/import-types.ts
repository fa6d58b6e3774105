// Spreadsheet import (issue 13 point 3): constants, outcomes and the scanId rule, without zod, so the UI's
// import screen and its Web Worker stay small; the request schema is in imports.ts.

export const IMPORT_KINDS = ['links', 'bills'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Largest file the browser accepts, and most data rows in one file (both say so by name when refused). */
export const MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;
/** Rows per request: one batch is one request, at most this many rows. */
export const IMPORT_BATCH_ROWS = 250;
/** Body limit of the route (a full batch of the longest QRs fits). */
export const IMPORT_BODY_BYTES = 64 * 1024;

/** The scanId of one row of one file: the same file and row always give the same id (≤ 64 chars). */
export function importScanId(importId: string, row: number): string {
  return `imp-${importId.slice(0, 40)}-${row}`;
}

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
  /** English words (the API's); the UI shows `key` with `params` in the user's language, or the code's words. */
  message?: string;
  /** Catalog key of the UI's words for a row answered in the browser (import.why.*), with their values. */
  key?: string;
  params?: Record<string, string | number>;
}

export interface ImportRowsResponse {
  results: RowResult[];
}

/** The shapes of a row as sent (checked by the zod schemas of imports.ts). */
export interface LinkRow {
  row: number;
  childQr: string;
  parentQr: string;
}
export interface BillRow {
  row: number;
  parentQr: string;
  billNo: string;
}
