// Messages between the import screen and its parsing Web Worker. The page never holds the file's rows as
// objects: batches arrive as JSON text (cheap to pass between threads, parsed one batch at a time when sent),
// and the rows answered in the worker (malformed, in conflict within the file) as counts and a first page.
import type { FileProblem } from '../../../shared/import-rows';
import type { ImportKind, RowOutcome, RowResult } from '../../../shared/import-types';
import type { SheetFormat } from './decode';

/** One batch of rows to send: its rows as JSON text, and how many. */
export interface PackedBatch {
  rows: string;
  size: number;
}

export interface ParsedSummary {
  kind: ImportKind;
  /** Data rows that were not blank. */
  total: number;
  /** Rows to send (the sum of the batches' sizes). */
  toSend: number;
  batches: PackedBatch[];
  /** Rows answered in the worker: how many of each outcome, and the first of them. */
  localCounts: Record<RowOutcome, number>;
  localFirst: RowResult[];
}

export type WorkerRequest =
  | { type: 'parse'; file: File }
  /** The server's answers as JSON text (RowResult[]); the worker adds its own and writes the file. */
  | { type: 'result'; results: string; dryRun: boolean; words: FileWords };

/**
 * The result file's words in the user's language, from the page (the worker has no catalog): the columns, the
 * outcomes, and the import.why.* messages with their {holes}, which the worker fills for its own rows. The
 * server's rows arrive with their words already in `message`.
 */
export interface FileWords {
  locale: string;
  header: [outcome: string, detail: string];
  outcome: Record<RowOutcome, string>;
  why: Record<string, string>;
}

export type WorkerReply =
  | { type: 'phase'; phase: 'reading' | 'checking' }
  | { type: 'problem'; problem: FileProblem }
  | { type: 'parsed'; format: SheetFormat; importId: string; summary: ParsedSummary }
  | { type: 'file'; blob: Blob; name: string };
