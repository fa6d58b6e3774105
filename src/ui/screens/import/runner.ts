// Sends an import's batches one after another and collects each row's answer. A batch that fails for a
// passing reason (no network, the server busy or down, a row the server could not answer) is sent again
// after a pause: its scanIds are the same (file hash + row number), so nothing is applied twice. After a few
// tries the run pauses with what it has; resume() goes on from the first batch without all its answers.
import type { ImportKind, ImportRowsResponse, RowResult } from '../../../shared/import-types';
import type { PackedBatch } from './worker-protocol';

export interface RunOptions {
  importId: string;
  kind: ImportKind;
  dryRun: boolean;
  fileName: string;
  areaId?: number;
  /** Rows as JSON text per batch (from the worker), parsed only when the batch is sent. */
  batches: PackedBatch[];
  /** Sends one batch; throws on failure (an ApiError with `status`, or any error for the network). */
  send: (body: Record<string, unknown>, signal: AbortSignal) => Promise<ImportRowsResponse>;
  onProgress: (doneRows: number, totalRows: number) => void;
  /** Waits between tries (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  /** Words for a failed request or an unavailable row (the screen: in the user's language). */
  describe?: (err: unknown) => string;
  tries?: number;
}

export type RunEnd =
  | { state: 'done'; results: Map<number, RowResult> }
  | { state: 'paused'; results: Map<number, RowResult>; nextBatch: number; reason: string }
  | { state: 'failed'; results: Map<number, RowResult>; reason: string };

/** A failure worth trying again: no answer, 429, 5xx. A 4xx is the request's fault and is final. */
function passing(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  return status === undefined || status === 0 || status === 429 || status >= 500;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runImport(options: RunOptions, signal: AbortSignal, from = 0, results = new Map<number, RowResult>()): Promise<RunEnd> {
  const { batches, sleep = wait, tries = 4, describe = (err: unknown) => (err instanceof Error ? err.message : String(err)) } = options;
  const totalRows = batches.reduce((n, b) => n + b.size, 0);
  let done = batches.slice(0, from).reduce((n, b) => n + b.size, 0);
  options.onProgress(done, totalRows);
  for (let i = from; i < batches.length; i++) {
    const batch = batches[i]!;
    let lastError = '';
    let answered: RowResult[] | null = null;
    for (let attempt = 0; attempt < tries; attempt++) {
      if (signal.aborted) return { state: 'paused', results, nextBatch: i, reason: 'stopped' };
      try {
        const body = {
          importId: options.importId,
          kind: options.kind,
          dryRun: options.dryRun,
          fileName: options.fileName.slice(0, 200),
          ...(options.kind === 'links' && options.areaId !== undefined ? { areaId: options.areaId } : {}),
          rows: JSON.parse(batch.rows) as unknown[],
        };
        const response = await options.send(body, signal);
        const retry = response.results.some((r) => r.code === 'UNAVAILABLE');
        answered = response.results;
        if (!retry) break;
        const unavailable = response.results.find((r) => r.code === 'UNAVAILABLE');
        lastError = options.describe ? describe({ code: 'UNAVAILABLE' }) : (unavailable?.message ?? 'unavailable');
      } catch (err) {
        if (signal.aborted) return { state: 'paused', results, nextBatch: i, reason: 'stopped' };
        lastError = describe(err);
        if (!passing(err)) return { state: 'failed', results, reason: lastError };
        answered = null;
      }
      await sleep(500 * 2 ** attempt);
    }
    if (!answered || answered.some((r) => r.code === 'UNAVAILABLE')) {
      return { state: 'paused', results, nextBatch: i, reason: lastError };
    }
    for (const r of answered) results.set(r.row, r);
    done += batch.size;
    options.onProgress(done, totalRows);
  }
  return { state: 'done', results };
}
