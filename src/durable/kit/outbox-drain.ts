// The one outbox drain of every object that writes somewhere else from its own SQLite: the parent's push to
// the flush queues, the bill's and the return ticket's flush to Postgres, and the flush queue's own batches.
// Rows are read oldest first, handed to `write`, and deleted only after `write` resolved, so a crash or a
// failed write leaves them for the next round (every row carries its own id, so writing one twice changes
// nothing). Pure: storage, the destination and the monitor are injected, so it is tested in plain vitest.
import { errorFields, log } from '../../observability/log';

export interface OutboxRowLike {
  seq: number;
}

/** The object's outbox table. */
export interface OutboxPort<Row extends OutboxRowLike> {
  read(limit: number): Row[];
  deleteThrough(seq: number): void;
  size(): number;
}

/** The outbox port of an object storage class with the usual readOutbox / deleteOutboxThrough / outboxSize. */
export function outboxOf<Row extends OutboxRowLike>(store: {
  readOutbox(limit: number): Row[];
  deleteOutboxThrough(seq: number): void;
  outboxSize(): number;
}): OutboxPort<Row> {
  return { read: (n) => store.readOutbox(n), deleteThrough: (seq) => store.deleteOutboxThrough(seq), size: () => store.outboxSize() };
}

export interface DrainDeps<Row extends OutboxRowLike, Result> {
  outbox: OutboxPort<Row>;
  /** Writes one batch where it belongs; rejects when it did not land (nothing is deleted then). */
  write(rows: Row[]): Promise<Result>;
  /** After a batch landed and was deleted here (metrics, conflicts). May be async; awaited. */
  written?(rows: Row[], result: Result): Promise<void> | void;
  /** A batch failed; `attempt` counts consecutive failed rounds (logging, metrics, backoff). */
  failed?(err: unknown, attempt: number, rows: Row[]): void;
  /**
   * Tells a monitor about a stuck outbox (size > 0, with the error) and once more when it has drained
   * (size 0). Omitted: nothing is reported (the flush queue is polled for its status instead).
   */
  report?(size: number, error: string | null): Promise<void>;
  /** Rows per batch. */
  batchRows: number;
  /** Batches per run; default: until the outbox is empty. */
  maxBatches?: number;
  /**
   * A batch shorter than `batchRows` ends the run as drained, without one more read to find the outbox
   * empty. Only for owners that schedule their own run for every row they add (rows added while a write
   * was awaited are left for that run).
   */
  shortBatchDrains?: boolean;
  /** Which object the drain belongs to, for its own log line (monitor unreachable). */
  object: string;
}

export class OutboxDrain<Row extends OutboxRowLike, Result = unknown> {
  /** Consecutive failed rounds: the caller's backoff grows with it. */
  failures = 0;
  lastError: string | null = null;
  private backlogReported = false;

  constructor(private readonly deps: DrainDeps<Row, Result>) {}

  /**
   * Drains up to `maxBatches` batches. True when every batch tried landed (the outbox may still hold rows
   * when `maxBatches` stopped it: check `size()`); false after a failed batch, which stays for the next run.
   */
  async run(): Promise<boolean> {
    const { outbox, batchRows, maxBatches = Infinity } = this.deps;
    for (let batch = 0; batch < maxBatches; batch++) {
      const rows = outbox.read(batchRows);
      if (rows.length === 0) break;
      let result: Result;
      try {
        result = await this.deps.write(rows);
      } catch (err) {
        this.failures++;
        this.lastError = err instanceof Error ? err.message : String(err);
        this.deps.failed?.(err, this.failures, rows);
        await this.report(outbox.size(), this.lastError);
        return false;
      }
      outbox.deleteThrough(rows[rows.length - 1]!.seq);
      await this.deps.written?.(rows, result);
      if (this.deps.shortBatchDrains && rows.length < batchRows) break;
    }
    this.failures = 0;
    this.lastError = null;
    await this.report(0, null);
    return true;
  }

  /** Counted as a backlog only while stuck, and reported once when it drains. */
  private async report(size: number, error: string | null): Promise<void> {
    const report = this.deps.report;
    if (!report || (size === 0 && !this.backlogReported)) return;
    try {
      await report(size, error);
      this.backlogReported = size > 0;
    } catch (err) {
      log.warn('flush monitor unreachable', { object: this.deps.object, ...errorFields(err) });
    }
  }
}
