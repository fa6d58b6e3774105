// The ReturnTicket's way to Postgres: like a bill's (human pace, no flush queue), its outbox goes straight
// to Postgres, one atomic unit per round, idempotent by event id (db/return-flush.ts).
import { flushReturn, type ReturnSnapshot } from '../../db/return-flush';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { monitorFor } from '../stubs';
import { ticketTotals, type TicketState } from './return-logic';
import type { OutboxRow, ReturnStorage } from './storage';
import { OutboxDrain, outboxOf } from '../kit/outbox-drain';
import { log } from '../../observability/log';

const OUTBOX_ROWS_PER_FLUSH = 100;

export class ReturnFlusher {
  private readonly drain: OutboxDrain<OutboxRow>;
  private state: TicketState | null = null;

  constructor(
    private readonly env: Env,
    store: ReturnStorage,
  ) {
    this.drain = new OutboxDrain<OutboxRow>({
      object: 'ReturnTicket',
      batchRows: OUTBOX_ROWS_PER_FLUSH,
      outbox: outboxOf(store),
      write: (rows) => withDb(settings(this.env), (db) => flushReturn(db, returnSnapshot(this.state as TicketState), rows.map((r) => r.event))),
      failed: (err, attempt) => {
        const message = err instanceof Error ? err.message : String(err);
        log.error('alarm retry: return flush failed', { object: 'ReturnTicket', ticketCode: this.state?.code, attempt, error: message });
      },
      report: (size, error) => monitorFor(this.env).report(`return:${(this.state as TicketState).code}`, size, error),
    });
  }

  get failures(): number {
    return this.drain.failures;
  }

  /** After the bills' own rows would have landed (a scan's bill_bags delete needs the bill's add before it). */
  delayMs(): number {
    const s = settings(this.env);
    return 3 * (s.PARENT_FLUSH_DELAY_MS + s.FLUSH_DELAY_MS);
  }

  /** Writes the outbox to Postgres; true when it is empty afterwards. */
  run(state: TicketState): Promise<boolean> {
    this.state = state;
    return this.drain.run();
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
