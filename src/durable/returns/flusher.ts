// The ReturnTicket's way to Postgres: like a bill's (human pace, no flush queue), its outbox goes straight
// to Postgres, one atomic unit per round, idempotent by event id (db/return-flush.ts).
import { flushReturn, type ReturnSnapshot } from '../../db/return-flush';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { monitorFor } from '../stubs';
import { ticketTotals, type TicketState } from './return-logic';
import type { ReturnStorage } from './storage';

const OUTBOX_ROWS_PER_FLUSH = 100;

export class ReturnFlusher {
  failures = 0;
  private backlogReported = false;

  constructor(
    private readonly env: Env,
    private readonly store: ReturnStorage,
  ) {}

  /** After the bills' own rows would have landed (a scan's bill_bags delete needs the bill's add before it). */
  delayMs(): number {
    const s = settings(this.env);
    return 3 * (s.PARENT_FLUSH_DELAY_MS + s.FLUSH_DELAY_MS);
  }

  /** Writes the outbox to Postgres; true when it is empty afterwards. */
  async run(state: TicketState): Promise<boolean> {
    for (;;) {
      const rows = this.store.readOutbox(OUTBOX_ROWS_PER_FLUSH);
      if (rows.length === 0) break;
      try {
        await withDb(settings(this.env), (db) => flushReturn(db, returnSnapshot(state), rows.map((r) => r.event)));
      } catch (err) {
        this.failures++;
        const message = err instanceof Error ? err.message : String(err);
        console.error(`return ${state.code}: flush failed (attempt ${this.failures}); retrying with backoff`, message);
        await this.reportBacklog(state, this.store.outboxSize(), message);
        return false;
      }
      this.store.deleteOutboxThrough(rows[rows.length - 1]!.seq);
    }
    this.failures = 0;
    await this.reportBacklog(state, 0, null);
    return true;
  }

  private async reportBacklog(state: TicketState, size: number, error: string | null): Promise<void> {
    if (size === 0 && !this.backlogReported) return;
    try {
      await monitorFor(this.env).report(`return:${state.code}`, size, error);
      this.backlogReported = size > 0;
    } catch (err) {
      console.error('flush monitor unreachable', err);
    }
  }
}

export function returnSnapshot(state: TicketState): ReturnSnapshot {
  const totals = ticketTotals(state.parents.values());
  return {
    code: state.code,
    areaId: state.areaId,
    notes: state.notes,
    status: state.status,
    parentCount: totals.parentCount,
    childCount: totals.childCount,
    createdBy: state.createdById || null,
    createdAt: new Date(state.createdAt).toISOString(),
    closedAt: state.closedAt === null ? null : new Date(state.closedAt).toISOString(),
    closedBy: state.closedById || null,
  };
}
