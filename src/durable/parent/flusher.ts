// The ParentSession's alarm work: hand the outbox to the flush queues (which batch many parents into
// few Postgres transactions), then give back registry claims that must be released. A release waits
// until the unlink that caused it is queued, so in Postgres an unlink always precedes the child's next
// link. Every row carries a unique id, so pushing a row twice changes nothing in Postgres.
import { AlarmScheduler } from '../alarm-scheduler';
import { flushQueueShard, flushShardOf, monitorFor, registryFor } from '../stubs';
import { settings } from '../../config/settings';
import { groupByShard } from './flush-groups';
import type { ParentState } from './parent-logic';
import type { OutboxRow, ParentStorage } from './storage';
import { OutboxDrain, outboxOf } from '../kit/outbox-drain';
import { errorFields, log } from '../../observability/log';

const PUSH_MAX_ROWS = 2000;

export class ParentFlusher {
  private readonly alarms: AlarmScheduler;
  private readonly drain: OutboxDrain<OutboxRow>;

  /** `alarms`: the object's one alarm, shared with its socket sweep; the flush is its `work` lane. */
  constructor(
    alarms: AlarmScheduler,
    private readonly env: Env,
    private readonly store: ParentStorage,
    private readonly getState: () => ParentState | null,
  ) {
    this.alarms = alarms;
    this.drain = new OutboxDrain<OutboxRow>({
      object: 'ParentSession',
      batchRows: PUSH_MAX_ROWS,
      // Every row a parent adds asks for a push (schedule()), and run() checks for leftovers: no extra read.
      shortBatchDrains: true,
      outbox: outboxOf(store),
      write: async (rows) => {
        const state = this.getState() as ParentState;
        const groups = groupByShard(state, rows, (key) => flushShardOf(this.env, key));
        await Promise.all([...groups].map(([shard, group]) => flushQueueShard(this.env, shard).enqueue(group)));
      },
      failed: (err, attempt) => {
        const message = err instanceof Error ? err.message : String(err);
        log.error('alarm retry: push to flush queue failed', { object: 'ParentSession', parentQr: this.getState()?.qr, attempt, error: message });
      },
      // Tells the monitor about a stuck outbox only when there is one, and once when it drains.
      report: (size, error) => monitorFor(this.env).report((this.getState() as ParentState).qr, size, error),
    });
  }

  /** Called while the object loads, after `alarms.load()`: make sure leftover work has an alarm. */
  resume(): void {
    if (!this.alarms.pending && this.hasWork()) this.alarms.soon(0);
  }

  /** Asks for a push soon; never pulls an alarm earlier while backing off. */
  schedule(delayMs = settings(this.env).PARENT_FLUSH_DELAY_MS): void {
    this.alarms.soon(delayMs);
  }

  private hasWork(): boolean {
    return this.store.outboxSize() > 0 || this.store.pendingReleases().length > 0;
  }

  /** The `work` lane of the object's alarm (the object calls `alarms.fired()` first). */
  async run(): Promise<void> {
    const pushed = await this.push();
    if (pushed) for (const childQr of this.store.pendingReleases()) await this.releasePending(childQr);
    if (!this.alarms.pending && this.hasWork()) {
      if (pushed) this.alarms.soon(0);
      else this.alarms.backoff(this.drain.failures);
    }
  }

  /** After a child left this parent: queue the unlink now, then free the child in the registry. */
  async pushThenRelease(childQr: string): Promise<void> {
    if (await this.push()) await this.releasePending(childQr);
    else this.alarms.backoff(this.drain.failures);
  }

  /** Moves the whole outbox to the flush queues; true when it is empty afterwards. */
  private async push(): Promise<boolean> {
    if (!this.getState()) return true;
    const pushed = await this.drain.run();
    if (pushed) this.alarms.recovered();
    return pushed;
  }

  /** Frees a child in the registry; on failure the row stays and a later alarm tries again. */
  private async releasePending(childQr: string): Promise<void> {
    const state = this.getState();
    if (!state) return;
    if (state.children.has(childQr)) {
      // Linked here again before the release went out: the claim is ours to keep.
      this.store.removePendingRelease(childQr);
      return;
    }
    try {
      await registryFor(this.env, childQr).releaseChild(childQr, state.qr);
      this.store.removePendingRelease(childQr);
      // Re-linked while the release was in flight: claim it back so the registry matches.
      if (state.children.has(childQr)) await registryFor(this.env, childQr).claimChild(childQr, state.qr);
    } catch (err) {
      log.warn('alarm retry: registry release failed', { object: 'ParentSession', childQr, ...errorFields(err) });
      this.schedule(1000);
    }
  }
}
