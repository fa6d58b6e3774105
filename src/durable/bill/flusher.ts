// The BillSession's way to Postgres: its outbox is written straight to Postgres (bill changes come at
// human pace, so the flush queues that batch parents' scans are not needed), one atomic unit per round,
// idempotent by event id (see db/bill-flush.ts). While Postgres is down the caller backs off and
// /health/detailed counts the backlog.
import { flushBill, type BillSnapshot } from '../../db/bill-flush';
import type { FlushResult } from '../../db/flush-types';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { monitorFor } from '../stubs';
import { billHead, type BillState } from './bill-logic';
import type { BillStorage, OutboxRow } from './storage';
import { OutboxDrain, outboxOf } from '../kit/outbox-drain';
import { log } from '../../observability/log';

const OUTBOX_ROWS_PER_FLUSH = 100;

export class BillFlusher {
  private readonly drain: OutboxDrain<OutboxRow, FlushResult>;
  private state: BillState | null = null;

  constructor(
    private readonly env: Env,
    store: BillStorage,
  ) {
    this.drain = new OutboxDrain<OutboxRow, FlushResult>({
      object: 'BillSession',
      batchRows: OUTBOX_ROWS_PER_FLUSH,
      outbox: outboxOf(store),
      write: (rows) => {
        const s = settings(this.env);
        return withDb(s, (db) => flushBill(db, billSnapshot(this.state as BillState), rows.map((r) => r.event), s.TIME_ZONE));
      },
      written: async (_rows, result) => {
        if (result.conflicts.length === 0) return;
        log.warn('flush conflicts', { object: 'BillSession', billNo: this.state?.billNo, count: result.conflicts.length, conflicts: result.conflicts.slice(0, 20).map((c) => ({ kind: c.kind, eventId: c.eventId })) });
        await monitorFor(this.env).reportConflicts(result.conflicts).catch(() => undefined);
      },
      failed: (err, attempt) => {
        const message = err instanceof Error ? err.message : String(err);
        log.error('alarm retry: bill flush failed', { object: 'BillSession', billNo: this.state?.billNo, attempt, error: message });
      },
      // Counted like a parent's backlog: reported when stuck and once when drained.
      report: (size, error) => monitorFor(this.env).report(`bill:${(this.state as BillState).billNo}`, size, error),
    });
  }

  /** Consecutive failed rounds: the caller's backoff grows with it. */
  get failures(): number {
    return this.drain.failures;
  }

  /**
   * How long after a change the bill flushes: a little after its parents' own rows (parent → flush queue
   * → Postgres) would have landed, so bill_bags' foreign key to the parent bag normally holds at once.
   * If a parent is not there yet the unit rolls back and the next round tries again.
   */
  delayMs(): number {
    const s = settings(this.env);
    return 2 * (s.PARENT_FLUSH_DELAY_MS + s.FLUSH_DELAY_MS);
  }

  /** Writes the outbox to Postgres; true when it is empty afterwards. */
  run(state: BillState): Promise<boolean> {
    this.state = state;
    return this.drain.run();
  }
}

/** The bills row as Postgres stores it: always the bill's current state. */
export function billSnapshot(state: BillState): BillSnapshot {
  return {
    ...billHead(state),
    createdBy: state.createdById || null,
    createdAt: new Date(state.createdAt).toISOString(),
    actualWeightKg: state.weight?.kg ?? null,
    weightSource: state.weight?.source ?? null,
    weighedAt: state.weight ? new Date(state.weight.at).toISOString() : null,
    weighedBy: state.weight?.byId || null,
  };
}
