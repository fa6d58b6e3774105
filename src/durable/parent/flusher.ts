// The ParentSession's alarm work: give back registry claims that must be released, then flush the
// outbox to Postgres in batches. Idempotent by construction (every row carries a unique id), so an
// alarm that runs twice, or a batch that Postgres committed before we could delete it, changes nothing.
import { flushBatch } from '../../worker/db/flush';
import { withDb } from '../../worker/db/with-db';
import { settings } from '../../worker/settings';
import { monitorFor } from '../monitor/client';
import { registryFor } from '../registry/client';
import { buildFlushBatch } from './flush-batch';
import type { SessionState } from './session-logic';
import type { ParentStorage } from './storage';

/** Rows per Postgres round trip: large enough for throughput, small enough for Neon's 10 MB request cap. */
const FLUSH_MAX_ROWS = 2000;
const MAX_BACKOFF_MS = 30_000;

export class ParentFlusher {
  private alarmAt: number | null = null;
  private failures = 0;
  private backlogReported = false;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly store: ParentStorage,
    private readonly getState: () => SessionState | null,
  ) {}

  /** Called while the object loads: make sure leftover work has an alarm. */
  async resume(): Promise<void> {
    this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt === null && (this.store.outboxSize() > 0 || this.store.pendingReleases().length > 0)) this.schedule(0);
  }

  /** Asks for a flush soon; never pulls an alarm earlier while Postgres is backing off. */
  schedule(delayMs = settings(this.env).FLUSH_DELAY_MS): void {
    if (this.failures > 0 && this.alarmAt !== null) return;
    const at = Date.now() + delayMs;
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.setAlarm(at);
  }

  private setAlarm(at: number): void {
    this.alarmAt = at;
    // Not awaited: the output gate already holds replies until the alarm is stored.
    this.ctx.storage.setAlarm(at).catch((err) => console.error("setAlarm failed", err));
  }

  async run(): Promise<void> {
    this.alarmAt = null;
    for (const childQr of this.store.pendingReleases()) await this.releasePending(childQr);
    await this.flush();
    if (this.alarmAt === null && this.store.pendingReleases().length > 0) this.schedule(this.backoffMs());
  }

  /** Frees a child in the registry; on failure the row stays and a later alarm tries again. */
  async releasePending(childQr: string): Promise<void> {
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
      console.error('registry release failed; will retry', childQr, err);
      this.schedule(1000);
    }
  }

  private backoffMs(): number {
    const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, this.failures - 1));
    return Math.round(base * (0.75 + Math.random() / 2));
  }

  private async flush(): Promise<void> {
    const state = this.getState();
    const rows = this.store.readOutbox(FLUSH_MAX_ROWS);
    if (!state || rows.length === 0) return this.reportBacklog(0, null);
    const lastSeq = rows[rows.length - 1]!.seq;
    try {
      const s = settings(this.env);
      const result = await withDb(s, (db) => flushBatch(db, buildFlushBatch(state, rows), { timeZone: s.TIME_ZONE }));
      this.store.deleteOutboxThrough(lastSeq);
      this.failures = 0;
      if (result.conflicts.length > 0) {
        console.warn('flush conflicts', state.qr, result.conflicts);
        await monitorFor(this.env).reportConflicts(state.qr, result.conflicts).catch(() => undefined);
      }
      await this.reportBacklog(0, null);
      if (this.store.outboxSize() > 0) this.schedule(0);
    } catch (err) {
      this.failures++;
      const message = err instanceof Error ? err.message : String(err);
      console.error(`flush failed (attempt ${this.failures}); backing off`, state.qr, message);
      this.setAlarm(Date.now() + this.backoffMs());
      await this.reportBacklog(this.store.outboxSize(), message);
    }
  }

  /** Tells the monitor about a backlog only when there is one, and once when it drains. */
  private async reportBacklog(size: number, error: string | null): Promise<void> {
    const state = this.getState();
    if (!state || (size === 0 && !this.backlogReported)) return;
    try {
      await monitorFor(this.env).report(state.qr, size, error);
      this.backlogReported = size > 0;
    } catch (err) {
      console.error('flush monitor unreachable', err);
    }
  }
}
