// The BillSession's way to Postgres: its outbox is written straight to Postgres (bill changes come at
// human pace, so the flush queues that batch parents' scans are not needed), one atomic unit per round,
// idempotent by event id (see db/bill-flush.ts). While Postgres is down the caller backs off and
// /health/detailed counts the backlog.
import { flushBill, type BillSnapshot } from '../../db/bill-flush';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { monitorFor } from '../stubs';
import { billStatus, type BillState } from './bill-logic';
import type { BillStorage } from './storage';

const OUTBOX_ROWS_PER_FLUSH = 100;

export class BillFlusher {
  /** Consecutive failed rounds: the caller's backoff grows with it. */
  failures = 0;
  private backlogReported = false;

  constructor(
    private readonly env: Env,
    private readonly store: BillStorage,
  ) {}

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
  async run(state: BillState): Promise<boolean> {
    for (;;) {
      const rows = this.store.readOutbox(OUTBOX_ROWS_PER_FLUSH);
      if (rows.length === 0) break;
      try {
        const s = settings(this.env);
        const result = await withDb(s, (db) => flushBill(db, billSnapshot(state), rows.map((r) => r.event), s.TIME_ZONE));
        if (result.conflicts.length > 0) {
          console.warn(`bill ${state.billNo}: flush conflicts`, result.conflicts);
          await monitorFor(this.env).reportConflicts(result.conflicts).catch(() => undefined);
        }
      } catch (err) {
        this.failures++;
        const message = err instanceof Error ? err.message : String(err);
        console.error(`bill ${state.billNo}: flush failed (attempt ${this.failures}); retrying with backoff`, message);
        await this.reportBacklog(state, this.store.outboxSize(), message);
        return false;
      }
      this.store.deleteOutboxThrough(rows[rows.length - 1]!.seq);
    }
    this.failures = 0;
    await this.reportBacklog(state, 0, null);
    return true;
  }

  /** Counted like a parent's backlog: reported when stuck and once when drained. */
  private async reportBacklog(state: BillState, size: number, error: string | null): Promise<void> {
    if (size === 0 && !this.backlogReported) return;
    try {
      await monitorFor(this.env).report(`bill:${state.billNo}`, size, error);
      this.backlogReported = size > 0;
    } catch (err) {
      console.error('flush monitor unreachable', err);
    }
  }
}

/** The bills row as Postgres stores it: always the bill's current state. */
export function billSnapshot(state: BillState): BillSnapshot {
  return {
    billNo: state.billNo,
    destination: state.destination,
    vehicleNo: state.vehicleNo,
    description: state.description,
    capacity: state.capacity,
    status: billStatus(state),
    finalized: state.finalized,
    finalizedAt: state.finalizedAt === null ? null : new Date(state.finalizedAt).toISOString(),
    createdBy: state.createdById || null,
    createdAt: new Date(state.createdAt).toISOString(),
    actualWeightKg: state.weight?.kg ?? null,
    weightSource: state.weight?.source ?? null,
    weighedAt: state.weight ? new Date(state.weight.at).toISOString() : null,
    weighedBy: state.weight?.byId || null,
  };
}
