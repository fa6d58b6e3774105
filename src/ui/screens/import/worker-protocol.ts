// Messages between the import screen and its parsing Web Worker.
import type { FileProblem, ParsedImport } from '../../../shared/import-rows';
import type { RowResult } from '../../../shared/import-types';
import type { SheetFormat } from './decode';

export type WorkerRequest = { type: 'parse'; file: File } | { type: 'result'; results: RowResult[]; dryRun: boolean };

export type WorkerReply =
  | { type: 'phase'; phase: 'reading' | 'checking' }
  | { type: 'problem'; problem: FileProblem }
  | { type: 'parsed'; format: SheetFormat; importId: string; parsed: ParsedImport }
  | { type: 'file'; blob: Blob; name: string };
