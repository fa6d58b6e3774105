// One shard of the flush queue. ParentSessions hand it their outbox rows (stored here before the call
// returns), and its alarm writes everything it holds to Postgres in one batch per round: a few large
// transactions instead of one small one per scan, which is what Postgres (and Neon) handle well.
// Link changes are sharded by child QR, so every event of one child lands in one queue in the order the
// registry allowed them (an unlink is queued before the child can be claimed elsewhere). When FLUSH_SHARDS
// changes, a child's older rows may still wait in a shard of the previous count (FLUSH_SHARDS_PREVIOUS):
// Postgres keeps the newest event whichever queue brings it (flush-statements.ts), and the new count's
// queues hold their batches until those shards are empty, so two queues never write one child at once.
import { DurableObject } from 'cloudflare:workers';
import { flushBatch } from '../../db/flush';
import type { FlushBatch, FlushResult, LinkChange, ParentSnapshot, ScanRecord } from '../../db/flush-types';
import { OutboxDrain } from '../kit/outbox-drain';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { AlarmScheduler } from '../alarm-scheduler';
import { flushQueueId, metricsSink, monitorFor, previousFlushQueues } from '../stubs';
import { parseQueueName } from './queue-name';
import { errorFields, log } from '../../observability/log';
import { countMetric, observeMetric } from '../../observability/metrics';

export type QueuedKind = 'change' | 'scan' | 'snapshot';

export interface QueuedRow {
  kind: QueuedKind;
  body: string;
}

export interface QueueStatus {
  backlog: number;
  failures: number;
  lastError: string | null;
  oldestQueuedAt: string | null;
  /** The latest successful flush: when it committed, and how long its oldest row had waited here. */
  lastFlushAt: string | null;
  lastLagMs: number | null;
}

interface QueueRow {
  seq: number;
  kind: string;
  body: string;
  at: number;
}

/** Rows per INSERT in enqueue: 3 parameters each, under the 100 per statement. */
const INSERT_ROWS = 33;

/** Rows per Postgres round trip: large enough for throughput, small enough for Neon's 10 MB request cap. */
const MAX_ROWS_PER_FLUSH = 5000;

/** While shards of FLUSH_SHARDS_PREVIOUS hold rows, a current shard looks again this often … */
const PREVIOUS_POLL_MS = 250;
/** … for at most this long in all (a previous shard stuck on an error must not stop every flush; order is safe anyway; after that this queue stops waiting) … */
export const PREVIOUS_WAIT_MAX_MS = 30_000;
/** … and, once seen empty, asks them again after this long (a few status calls per second in all while listed). */
export const PREVIOUS_RECHECK_MS = 1_000;

export class FlushQueue extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly alarms: AlarmScheduler;
  private readonly drain: OutboxDrain<QueueRow, { result: FlushResult; pgMs: number }>;
  private lastFlushAt: number | null = null;
  private lastLagMs: number | null = null;
  /** This queue's shard and shard count (from its name), once known; null: not a configured shard. */
  private own: { shard: number; count: number } | null | undefined;
  /** When the shards of FLUSH_SHARDS_PREVIOUS were last seen empty; whether waiting for them ran out. */
  private previousSeenEmptyAt = -Infinity;
  private waitingSince: number | null = null;
  private gaveUpWaiting = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS queued (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL)`);
    this.alarms = new AlarmScheduler(ctx.storage);
    this.drain = this.newDrain();
    // Not awaited (a constructor cannot be async): the runtime holds every request until this settles.
    void ctx.blockConcurrencyWhile(async () => {
      await this.alarms.load();
      if (!this.alarms.pending && this.size() > 0) this.alarms.soon(0);
    });
  }

  /** Stores rows for Postgres; when this returns they are durable here. */
  enqueue(rows: QueuedRow[]): number {
    const now = Date.now();
    // A few rows per statement, not one statement each (a push brings a scan, its link and the snapshot);
    // INSERT_ROWS keeps a statement within the 100 bound parameters an object's SQL allows.
    for (let i = 0; i < rows.length; i += INSERT_ROWS) {
      const part = rows.slice(i, i + INSERT_ROWS);
      this.sql.exec(`INSERT INTO queued (kind, body, at) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}`, ...part.flatMap((r) => [r.kind, r.body, now]));
    }
    this.alarms.soon(settings(this.env).FLUSH_DELAY_MS);
    return rows.length;
  }

  status(): QueueStatus {
    const oldest = this.sql.exec<{ at: number | null }>('SELECT min(at) AS at FROM queued').one().at;
    return {
      backlog: this.size(),
      failures: this.drain.failures,
      lastError: this.drain.lastError,
      oldestQueuedAt: oldest === null ? null : new Date(oldest).toISOString(),
      lastFlushAt: this.lastFlushAt === null ? null : new Date(this.lastFlushAt).toISOString(),
      lastLagMs: this.lastLagMs,
    };
  }

  /**
   * How many queued rows name parent `qr` (its snapshot, or a link, unlink or scan into it): a parent may be
   * deleted only when no shard still holds a row that would write it (or a child of it) to Postgres later.
   */
  mentions(qr: string): number {
    const asParent = JSON.stringify({ parentQr: qr }).slice(1, -1);
    const asSnapshot = JSON.stringify({ qr }).slice(1, -1);
    return this.sql.exec<{ n: number }>(
      `SELECT count(*) AS n FROM queued WHERE instr(body, ?) > 0 OR (kind = 'snapshot' AND instr(body, ?) > 0)`,
      asParent,
      asSnapshot,
    ).one().n;
  }

  private size(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM queued').one().n;
  }

  override async alarm(): Promise<void> {
    this.alarms.fired();
    if (await this.waitForPreviousShards()) {
      this.alarms.soon(PREVIOUS_POLL_MS);
      return;
    }
    // One batch per alarm; more waiting: the next alarm at once (a failed batch backs off instead).
    if ((await this.drain.run()) && this.size() > 0) this.alarms.soon(0);
  }

  /** Which shard of which count this queue is: from its name when the runtime gives it, else found by id. */
  private identity(): { shard: number; count: number } | null {
    if (this.own !== undefined) return this.own;
    let found = parseQueueName(this.ctx.id.name);
    if (found === null) {
      const s = settings(this.env);
      for (const count of [s.FLUSH_SHARDS, ...s.FLUSH_SHARDS_PREVIOUS]) {
        for (let shard = 0; shard < count && found === null; shard++) {
          if (flushQueueId(this.env, shard, count).equals(this.ctx.id)) found = { shard, count };
        }
        if (found !== null) break;
      }
    }
    this.own = found;
    return found;
  }

  /**
   * True while this is a shard of the current FLUSH_SHARDS and a shard of FLUSH_SHARDS_PREVIOUS still holds
   * rows (an older event of one of our children may be among them): our batch waits, at most
   * PREVIOUS_WAIT_MAX_MS at a time. Seen empty, they are asked again only after PREVIOUS_RECHECK_MS (a parent still
   * running the old settings during a rollout may queue there for a moment).
   */
  private async waitForPreviousShards(): Promise<boolean> {
    const s = settings(this.env);
    if (this.gaveUpWaiting || s.FLUSH_SHARDS_PREVIOUS.length === 0 || this.size() === 0) return false;
    if (this.identity()?.count !== s.FLUSH_SHARDS) return false;
    const now = Date.now();
    if (now - this.previousSeenEmptyAt < PREVIOUS_RECHECK_MS) return false;
    // An unreachable shard counts as holding rows (until the wait runs out).
    const backlogs = await Promise.all(previousFlushQueues(this.env).map((q) => q.stub.status().then((st) => st.backlog, () => 1)));
    const waiting = backlogs.reduce((a, b) => a + b, 0);
    if (waiting === 0) {
      this.previousSeenEmptyAt = now;
      this.waitingSince = null;
      return false;
    }
    this.waitingSince ??= now;
    if (now - this.waitingSince >= PREVIOUS_WAIT_MAX_MS) {
      log.warn('flush shards of FLUSH_SHARDS_PREVIOUS still hold rows; flushing without waiting for them', {
        object: 'FlushQueue',
        shard: this.ctx.id.name ?? null,
        previousBacklog: waiting,
        waitedMs: now - this.waitingSince,
      });
      this.gaveUpWaiting = true;
      return false;
    }
    return true;
  }

  /** One batch per alarm through the kit's drain; metrics and the flush batch log line around it. */
  private newDrain(): OutboxDrain<QueueRow, { result: FlushResult; pgMs: number }> {
    const sink = metricsSink(this.env, (p) => this.ctx.waitUntil(p));
    return new OutboxDrain<QueueRow, { result: FlushResult; pgMs: number }>({
      object: 'FlushQueue',
      batchRows: MAX_ROWS_PER_FLUSH,
      maxBatches: 1,
      outbox: {
        read: (n) => this.sql.exec<{ seq: number; kind: string; body: string; at: number }>('SELECT seq, kind, body, at FROM queued ORDER BY seq LIMIT ?', n).toArray(),
        deleteThrough: (seq) => this.sql.exec('DELETE FROM queued WHERE seq <= ?', seq),
        size: () => this.size(),
      },
      write: async (rows) => {
        const started = performance.now();
        const s = settings(this.env);
        // Each shard adds to its own counter slot: shards do not queue on the same counter rows.
        const counterSlot = this.identity()?.shard ?? 0;
        const result = await withDb(s, (db) => flushBatch(db, toBatch(rows), { timeZone: s.TIME_ZONE, counterSlot }));
        return { result, pgMs: performance.now() - started };
      },
      written: async (rows, { result, pgMs }) => {
        const recoveredAfter = this.drain.failures;
        const now = Date.now();
        this.lastFlushAt = now;
        this.lastLagMs = now - rows.reduce((m, r) => Math.min(m, r.at), Infinity);
        // Metrics go to the buffer (no await); the log line is the flush batch event of issue 14.
        countMetric(sink, 'tracetrack_flush_batches_total');
        countMetric(sink, 'tracetrack_flush_rows_total', undefined, rows.length);
        observeMetric(sink, 'tracetrack_flush_row_lag_seconds', undefined, this.lastLagMs);
        observeMetric(sink, 'tracetrack_postgres_query_seconds', { op: 'flush' }, pgMs);
        log.info('flush batch', {
          object: 'FlushQueue',
          shard: this.ctx.id.name ?? null,
          rows: rows.length,
          lagMs: this.lastLagMs,
          postgresMs: Math.round(pgMs * 10) / 10,
          conflicts: result.conflicts.length,
          ...(recoveredAfter > 0 ? { recoveredAfterFailures: recoveredAfter } : {}),
        });
        this.alarms.recovered();
        if (result.conflicts.length > 0) {
          countMetric(sink, 'tracetrack_flush_conflicts_total', undefined, result.conflicts.length);
          log.warn('flush conflicts', {
            object: 'FlushQueue',
            count: result.conflicts.length,
            conflicts: result.conflicts.slice(0, 20).map((c) => ({ kind: c.kind, eventId: c.eventId, parentQr: c.parentQr, childQr: c.childQr, existingParentQr: c.existingParentQr })),
          });
          await monitorFor(this.env).reportConflicts(result.conflicts).catch(() => undefined);
        }
      },
      failed: (err, attempt, rows) => {
        const backoff = this.alarms.backoff(attempt);
        countMetric(sink, 'tracetrack_flush_failures_total');
        countMetric(sink, 'tracetrack_postgres_errors_total', { op: 'flush' });
        log.error('flush failed; retrying with backoff', {
          object: 'FlushQueue',
          shard: this.ctx.id.name ?? null,
          attempt,
          rowsWaiting: rows.length,
          retryInMs: backoff,
          ...errorFields(err),
        });
      },
    });
  }
}

/** Queue rows → one FlushBatch: changes and scans in queue order, the newest snapshot per parent. */
export function toBatch(rows: Array<{ kind: string; body: string }>): FlushBatch {
  const changes: LinkChange[] = [];
  const scans: ScanRecord[] = [];
  const parents = new Map<string, ParentSnapshot>();
  for (const row of rows) {
    if (row.kind === 'change') changes.push(JSON.parse(row.body) as LinkChange);
    else if (row.kind === 'scan') scans.push(JSON.parse(row.body) as ScanRecord);
    else if (row.kind === 'snapshot') {
      const snap = JSON.parse(row.body) as ParentSnapshot;
      const seen = parents.get(snap.qr);
      if (!seen || seen.version < snap.version) parents.set(snap.qr, snap);
    }
  }
  return { parent: null, parents: [...parents.values()], changes, scans };
}
