// The scan path of a parent: claim a child in the registry, decide again after the await, persist the
// outcome (one implicit SQLite transaction with the ack) and answer; and the removal of a child (undo,
// unlink). The ParentSession shell hands in its storage, flusher and answers; the rules are parent-logic.ts.
import { AppError, type ErrorBody } from '../../shared/errors';
import type { SessionUser } from '../../shared/types';
import { scopedEventId } from '../../db/event-ids';
import type { ScanAnswers } from '../kit/scan-answers';
import { fail, ok, type RpcResult } from '../rpc';
import { claimChild } from './claim';
import type { ParentFlusher } from './flusher';
import { iso } from './messages';
import { applyLink, applyUnlink, decideScan, type ChildEntry, type ParentEvent, type ParentState } from './parent-logic';
import type { ParentStorage } from './storage';
import type { RemovalOutcome, ScanAnswer, ScanOutcome } from './types';
import { errorFields, log } from '../../observability/log';
import { countMetric, type MetricsSink } from '../../observability/metrics';

type Decision = { kind: 'claim'; childQr: string } | { kind: 'duplicate'; childQr: string } | { kind: 'reject'; childQr: string; error: AppError | ErrorBody };

/** What the scan path needs of its object. */
export interface ScanHost {
  env: Env;
  sink: MetricsSink;
  store: ParentStorage;
  flusher: ParentFlusher;
  answers: ScanAnswers;
  state(): ParentState | null;
  /** Flush soon; broadcast the events, push board and bill. */
  afterChange(events: ParentEvent[]): void;
  pushBoard(): void;
  /** The parent got its first child (it no longer counts against its creator's empty-parent cap). */
  firstChild(state: ParentState): void;
}

export class ScanPath {
  /** Children being claimed right now (in memory only; see holds). */
  private readonly claimsInFlight = new Set<string>();

  constructor(private readonly host: ScanHost) {}

  async scanOnce(state: ParentState, user: SessionUser, rawQr: string, scanId: string, requestId: string | null): Promise<ScanAnswer> {
    let decision: Decision = decideScan(state, rawQr);
    if (decision.kind === 'claim') {
      const childQr = decision.childQr;
      // In memory only (no extra storage commit on the hot path): if this object dies before linking,
      // the stale claim is repaired lazily by the next parent that wants the child (claim.ts).
      this.claimsInFlight.add(childQr);
      let claim;
      try {
        claim = await claimChild(this.host.env, childQr, state.qr, requestId);
      } catch (err) {
        // We cannot know whether the claim landed: give it back later and let the client retry.
        this.releaseLater(childQr);
        countMetric(this.host.sink, 'tracetrack_registry_errors_total');
        log.error('registry claim failed', { object: 'ParentSession', parentQr: state.qr, childQr, scanId, requestId, ...errorFields(err) });
        return { ...fail(new AppError('UNAVAILABLE', 'The QR registry did not answer; scan again.')), childQr };
      } finally {
        this.claimsInFlight.delete(childQr);
      }
      if ('error' in claim) return this.record(state, user, scanId, { kind: 'reject', childQr, error: claim.error }, requestId);
      // The input gate opened while we awaited the registry: decide again on the current state.
      decision = decideScan(state, rawQr);
      if (decision.kind === 'reject' && !claim.alreadyMine && !state.children.has(childQr)) this.releaseLater(childQr);
    }
    return this.record(state, user, scanId, decision, requestId);
  }

  private releaseLater(childQr: string): void {
    this.host.store.addPendingRelease(childQr, Date.now());
    this.host.flusher.schedule();
  }

  /** For another parent repairing a stale claim: does this parent hold (or is it claiming) the child? */
  holds(childQr: string): boolean {
    // No state here means the claim came from Postgres (registry rebuild): keep it, the parent will
    // rehydrate its children when it is opened.
    const state = this.host.state();
    if (!state) return true;
    return this.claimsInFlight.has(childQr) || state.children.has(childQr);
  }

  /** Persists the outcome of a scan (one implicit SQLite transaction) and answers. */
  private record(state: ParentState, user: SessionUser, scanId: string, decision: Decision, requestId: string | null = null): ScanAnswer {
    const now = Date.now();
    const { childQr } = decision;
    // The scanId is this parent's idempotency key only; Postgres keys events globally (event-ids.ts).
    const eventId = scopedEventId(state.qr, scanId);
    const result = decision.kind === 'claim' ? 'linked' : decision.kind === 'duplicate' ? 'duplicate' : 'rejected';
    let events: ParentEvent[] = [];
    let answer: ScanAnswer;
    if (decision.kind === 'reject') {
      answer = { ...fail(decision.error), childQr };
    } else {
      if (decision.kind === 'claim') {
        events = applyLink(state, childQr, user, scanId, now);
        const change = { kind: 'link' as const, eventId, childQr, parentQr: state.qr, areaId: state.areaId, at: iso(now), userId: user.id, ...(requestId ? { requestId } : {}) };
        this.host.store.linked(state, state.children.get(childQr) as ChildEntry, change);
        if (state.children.size === 1) this.host.firstChild(state);
      }
      const outcome: ScanOutcome = { result: decision.kind === 'claim' ? 'linked' : 'duplicate', childQr, childCount: state.children.size, capacity: state.capacity, status: state.status };
      answer = { ...ok(outcome), childQr };
    }
    const errorCode = answer.ok ? null : answer.error.code;
    this.host.store.enqueueScan({ scanId: eventId, parentQr: state.qr, childQr, userId: user.id, areaId: state.areaId, result, errorCode, at: iso(now) });
    this.host.answers.remember(scanId, answer);
    countMetric(this.host.sink, 'tracetrack_scans_total', { result, area: state.areaId });
    if (errorCode) countMetric(this.host.sink, 'tracetrack_scan_rejections_total', { code: errorCode, area: state.areaId });
    this.host.afterChange(events);
    // A refused scan moves no tile, but the area's board shows rejections of the last hour: the (unchanged)
    // summary tells its watchers to read the day's figures again. Rejections are rare; the push coalesces.
    if (decision.kind === 'reject') this.host.pushBoard();
    return answer;
  }

  async remove(state: ParentState, child: ChildEntry, user: SessionUser, reason: 'undo' | 'unlink', key: string, requestId: string | null = null): Promise<RpcResult<RemovalOutcome>> {
    const now = Date.now();
    const events = applyUnlink(state, child, user, reason, now);
    const eventId = scopedEventId(state.qr, key);
    // Local removal is durable first; the registry release follows and is retried until it lands.
    this.host.store.unlinked(state, { kind: 'unlink', eventId, childQr: child.qr, parentQr: state.qr, at: iso(now), userId: user.id, reason, ...(requestId ? { requestId } : {}) }, now);
    const answer = ok<RemovalOutcome>({ removed: child.qr, childCount: state.children.size, status: state.status });
    if (reason === 'undo') this.host.answers.remember(key, answer);
    this.host.afterChange(events);
    await this.host.flusher.pushThenRelease(child.qr);
    return answer;
  }
}
