// The first answer to each client idempotency key (scanId) of an object (a parent, a bill), so a repeated
// command returns it and changes nothing; concurrent repeats share one run. Shared by every object that
// takes scanIds. Answers are kept only as long as a client can still retry (SCAN_ANSWER_KEEP_HOURS) and
// at most SCAN_ANSWERS_KEPT per object (oldest first), so the table stays small and loads fast; answers
// to malformed input (a label that is not a label) are never stored.
import type { ErrorCode } from '../../shared/errors';
import type { RpcResult } from '../rpc';

const SCHEMA = 'CREATE TABLE IF NOT EXISTS responses (scan_id TEXT PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)';

/** Answers that say "your input was malformed": cheap to give again, and storing them would let junk grow the table. */
const NOT_STORED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['INVALID_INPUT', 'INVALID_QR', 'PAYLOAD_TOO_LARGE']);

export interface AnswerLimits {
  keepMs: number;
  maxKept: number;
}

export class ScanAnswers {
  /** In insertion order, which is answer time order: the oldest come first. */
  private answers = new Map<string, { body: string; at: number }>();
  private readonly inflight = new Map<string, Promise<RpcResult<unknown>>>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly limits: () => AnswerLimits,
  ) {
    sql.exec(SCHEMA);
  }

  /** Loads the answers still kept (pruning first); call while the object loads. */
  load(now = Date.now()): void {
    this.pruneStored(now);
    this.answers = new Map();
    for (const r of this.sql.exec<{ scan_id: string; body: string; at: number }>('SELECT scan_id, body, at FROM responses ORDER BY at, scan_id')) {
      this.answers.set(r.scan_id, { body: r.body, at: r.at });
    }
  }

  /** Drops every stored answer (the object's parent was deleted: a reopened label starts with none). */
  forgetAll(): void {
    this.sql.exec('DELETE FROM responses');
    this.answers = new Map();
  }

  get size(): number {
    return this.answers.size;
  }

  /** Runs a command once per key: repeats get the stored answer, concurrent repeats share one run. */
  async once<T>(id: string, run: () => Promise<RpcResult<T>>): Promise<RpcResult<T>> {
    const stored = this.answers.get(id);
    if (stored) return JSON.parse(stored.body) as RpcResult<T>;
    const running = this.inflight.get(id);
    if (running) return running as Promise<RpcResult<T>>;
    const promise = run();
    this.inflight.set(id, promise);
    try {
      return await promise;
    } finally {
      this.inflight.delete(id);
    }
  }

  /** True while a command for `id` is being answered (crash repair must not race it). */
  running(id: string): boolean {
    return this.inflight.has(id);
  }

  /** Stores the first answer for `id` (synchronous: commits with the writes of the same command). */
  remember<T extends RpcResult<unknown>>(id: string, answer: T, now = Date.now()): T {
    if (!answer.ok && NOT_STORED.has(answer.error.code)) return answer;
    if (this.answers.has(id)) return answer;
    const body = JSON.stringify(answer);
    this.answers.set(id, { body, at: now });
    this.sql.exec('INSERT OR IGNORE INTO responses (scan_id, body, at) VALUES (?, ?, ?)', id, body, now);
    const { maxKept } = this.limits();
    // Prune in steps of a tenth, not one row per answer, so a full table costs one DELETE per many answers.
    if (this.answers.size > maxKept + Math.max(1, Math.floor(maxKept / 10))) this.prune(now);
    return answer;
  }

  /** Drops answers older than the keep time and the oldest beyond the count (in storage and memory alike). */
  prune(now = Date.now()): void {
    this.load(now);
  }

  private pruneStored(now: number): void {
    const { keepMs, maxKept } = this.limits();
    this.sql.exec('DELETE FROM responses WHERE at < ?', now - keepMs);
    this.sql.exec(
      'DELETE FROM responses WHERE scan_id IN (SELECT scan_id FROM responses ORDER BY at DESC, scan_id DESC LIMIT -1 OFFSET ?)',
      maxKept,
    );
  }
}

export function answerLimits(s: { SCAN_ANSWER_KEEP_HOURS: number; SCAN_ANSWERS_KEPT: number }): AnswerLimits {
  return { keepMs: s.SCAN_ANSWER_KEEP_HOURS * 3600_000, maxKept: s.SCAN_ANSWERS_KEPT };
}
