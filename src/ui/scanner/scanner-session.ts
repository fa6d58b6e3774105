// The scanner screen's session: holds the pure scan state (scan-state.ts), carries out its effects through the
// sender (scan-sender.ts), and gives every code exactly one answer on screen, in sound and (optionally) spoken.
// It outlives route changes (/scan ↔ /scan/SB…) so nothing in flight is torn down by the router.
import { signal } from '@preact/signals';
import type { ServerMessage } from '../../shared/protocol';
import { normalizeQr } from '../../shared/qr';
import type { ParentView, SessionUser } from '../../shared/types';
import { api, ApiError } from '../api/client';
import { speakCount } from '../i18n/speech';
import { connection } from '../state/connection';
import { playFeedback } from './feedback';
import { answerOffScreen } from './wedge';
import { dismissRejection, rejections, type ReplayRejection } from './offline-queue';
import {
  answerQuestion,
  askComplete,
  capacityOf,
  countShown,
  emptyState,
  onAnswer,
  onCode,
  onParent,
  onQueued,
  onRemoved,
  onOpenParent,
  onServerMessage,
  parentRefusal,
  undoTarget,
  withoutWaiting,
  type Effect,
  type Outcome,
  type ScanState,
  type Step,
} from './scan-state';
import { errorOf, retryable, ScanSender } from './scan-sender';

/** An answer on screen; `n` increments with every answer, so a repeat of the same words is announced again. */
export type { ShownOutcome } from '../components/ResultBanner';
import type { ShownOutcome } from '../components/ResultBanner';

/** Opening a parent slower than this shows that the network is slow. */
const SLOW_MS = 700;
export const UNDO_WINDOW_MS = 60 * 60 * 1000;

const cacheKey = (userId: number) => `tracetrack.parent.${userId}`;

export class ScannerSession {
  readonly state = signal<ScanState>(emptyState);
  readonly last = signal<ShownOutcome | null>(null);
  readonly rejected = signal<ReplayRejection[]>([]);
  readonly busy = signal(false);
  /** Opening the current parent: 'slow' once it takes longer than a moment. */
  readonly loading = signal<'idle' | 'loading' | 'slow'>('idle');
  /** Users without an area (admins) say which area new parents belong to. */
  readonly areaForNew = signal<number | undefined>(undefined);

  private readonly sender: ScanSender;
  private outcomes = 0;
  /** Scanner screens showing this session; with none, answers go to the shell's banner (ScanGuard). */
  private screens = 0;

  constructor(
    readonly user: SessionUser,
    private readonly navigate: (parentQr: string | null) => void,
  ) {
    this.sender = new ScanSender(user.id, {
      answered: (scanId, answer, live) => this.step(onAnswer(this.state.value, scanId, answer, live)),
      queued: (scanId) => this.step(onQueued(this.state.value, scanId)),
      replayed: (sent, refused) => void this.afterReplay(sent, refused),
      socketMessage: (qr, message) => this.onSocketMessage(qr, message),
      socketRefused: () => this.show({ kind: 'rejected', qr: '', words: { key: 'scan.socketRefused' }, toScan: false }),
    });
    void this.loadWaiting();
  }

  dispose(): void {
    this.sender.dispose();
  }

  /** A scanner screen shows this session from now on; the returned function says it no longer does. */
  attach(): () => void {
    this.screens++;
    return () => {
      this.screens--;
    };
  }

  get parentQr(): string | null {
    return this.state.value.parentQr;
  }

  /** The route names a parent (/scan/SB00012): open it unless it is the current one already. */
  showParent(qr: string | undefined): void {
    const wanted = qr ? normalizeQr(qr) : null;
    if (wanted === this.parentQr) return;
    if (wanted) this.step(onOpenParent(this.state.value, wanted));
    else this.leaveParent();
  }

  /** Every label from the wedge, the manual field or the camera comes in here. */
  handleCode(raw: string): void {
    const code = normalizeQr(raw);
    if (!code) return;
    this.step(onCode(this.state.value, code, { online: this.sender.online, user: this.user, now: new Date(), newScanId: () => crypto.randomUUID() }));
  }

  answer(yes: boolean): void {
    this.step(answerQuestion(this.state.value, yes));
  }

  complete(): void {
    this.step(askComplete(this.state.value));
  }

  leaveParent(): void {
    this.sender.disconnect();
    this.state.value = { ...this.state.value, parentQr: null, parent: null, question: null };
    this.loading.value = 'idle';
  }

  /** What Undo would take back now (the button shows only when there is something). */
  undoable() {
    return undoTarget(this.state.value, this.user.id, this.user.username, Date.now(), UNDO_WINDOW_MS);
  }

  async undo(): Promise<void> {
    const target = this.undoable();
    const qr = this.parentQr;
    if (!target || !qr) return;
    if (target.kind === 'waiting') {
      if (await this.sender.cancel(target.scan.scanId)) {
        this.state.value = withoutWaiting(this.state.value, target.scan.scanId);
        this.show({ kind: 'info', qr: target.scan.qr, words: { key: 'scan.removedWaiting', params: { child: target.scan.qr } }, toScan: false });
      }
      return;
    }
    this.busy.value = true;
    try {
      const answer = await api<{ removed: string; childCount: number; status?: 'open' | 'completed' }>(`/api/parents/${encodeURIComponent(qr)}/undo`, { method: 'POST', body: {} });
      this.state.value = onRemoved(this.state.value, answer.removed, answer.childCount, answer.status);
      this.cacheParent();
      this.show({ kind: 'info', qr: answer.removed, words: { key: 'scan.removed', params: { child: answer.removed, parent: qr } }, toScan: false });
    } catch (err) {
      this.showError(qr, err, 'scan.undoNeedsNetwork');
    } finally {
      this.busy.value = false;
    }
  }

  async dismiss(rejection: ReplayRejection): Promise<void> {
    await dismissRejection(rejection.seq!);
    this.rejected.value = this.rejected.value.filter((r) => r.seq !== rejection.seq);
  }

  // ------------------------------------------------------------------ steps and effects

  private step(step: Step): void {
    this.state.value = step.state;
    if (step.outcome) this.show(step.outcome);
    for (const effect of step.effects) this.run(effect);
  }

  private run(effect: Effect): void {
    if (effect.type === 'open') void this.openParent(effect.qr);
    else if (effect.type === 'send') this.sender.send(effect.scan);
    else void this.completeNow(effect.qr, effect.byScan);
  }

  private async openParent(qr: string): Promise<void> {
    this.sender.disconnect();
    this.navigate(qr);
    this.loading.value = 'loading';
    const slow = setTimeout(() => {
      if (this.parentQr === qr && this.loading.value === 'loading') this.loading.value = 'slow';
    }, SLOW_MS);
    const user = this.user;
    const areaId = user.areaId == null ? this.areaForNew.value : undefined;
    try {
      const opening = api<{ parent: ParentView }>(`/api/parents/${encodeURIComponent(qr)}/open`, { method: 'POST', body: areaId ? { areaId } : {} });
      // Children scanned from now on go after the open's answer.
      this.sender.holdUntil(opening);
      const { parent } = await opening;
      if (this.parentQr !== qr) return;
      this.state.value = onParent(this.state.value, parent);
      this.cacheParent();
      this.show({ kind: 'info', qr, words: { key: parent.status === 'completed' ? 'scan.openedComplete' : 'scan.opened', params: { parent: qr } }, toScan: true });
    } catch (err) {
      if (this.parentQr !== qr) return;
      if (!retryable(err)) {
        this.state.value = { ...this.state.value, parentQr: null, parent: null };
        this.navigate(null);
        this.show(parentRefusal(qr, errorOf(err)));
        return;
      }
      // Keep filling it offline, from what this device last knew of it: the replay opens it before its
      // first waiting child, and the server decides then.
      connection.value = 'offline';
      const cached = this.cachedParent(qr);
      if (cached) this.state.value = onParent(this.state.value, cached);
      this.show({ kind: 'queued', qr, words: { key: 'scan.openedOffline', params: { parent: qr } }, toScan: true });
    } finally {
      clearTimeout(slow);
      if (this.parentQr === qr) this.loading.value = 'idle';
    }
    if (this.parentQr === qr) this.sender.connect(qr);
  }

  private async completeNow(qr: string, byScan: boolean): Promise<void> {
    this.busy.value = true;
    try {
      const { parent } = await api<{ parent: ParentView }>(`/api/parents/${encodeURIComponent(qr)}/complete`, { method: 'POST', body: {} });
      this.state.value = onParent(this.state.value, parent);
      this.cacheParent();
      this.show({ kind: 'complete', qr, words: { key: 'scan.complete', params: { parent: qr } }, detail: { key: 'scan.completedEarly', params: { parent: qr, count: parent.childCount } }, toScan: byScan });
    } catch (err) {
      this.showError(qr, err, 'scan.completeNeedsNetwork', byScan);
    } finally {
      this.busy.value = false;
    }
  }

  private showError(qr: string, err: unknown, networkKey: 'scan.undoNeedsNetwork' | 'scan.completeNeedsNetwork', toScan = false): void {
    const e = errorOf(err);
    const words = err instanceof ApiError && err.isNetwork ? { key: networkKey } : { key: 'scan.reject.other' as const, params: { code: e.code } };
    this.show({ kind: 'rejected', qr, words, detail: { key: `error.${e.code}` as never }, code: e.code, toScan });
  }

  private show(outcome: Outcome): void {
    this.last.value = { ...outcome, n: ++this.outcomes };
    playFeedback(outcome.kind, outcome.qr, outcome.toScan);
    // The operator left the scanner before this answer came (a slow ack, a scan queued on the way out).
    if (this.screens === 0 && (outcome.toScan || outcome.kind === 'rejected')) answerOffScreen(outcome, false);
    if (outcome.kind === 'linked' || outcome.kind === 'queued' || outcome.kind === 'complete') {
      if (this.parentQr) speakCount(countShown(this.state.value), capacityOf(this.state.value));
    }
  }

  // ------------------------------------------------------------------ socket and queue

  private onSocketMessage(qr: string, message: ServerMessage): void {
    const next = onServerMessage(this.state.value, qr, message);
    if (!next) return;
    this.state.value = next;
    this.cacheParent();
  }

  private async loadWaiting(): Promise<void> {
    const waiting = await this.sender.loadQueue();
    const known = new Set(this.state.value.waiting.map((w) => w.scanId));
    const fromDevice = waiting.filter((w) => !known.has(w.scanId)).map((w) => ({ ...w, by: w.by ?? this.user.username, sent: false }));
    if (fromDevice.length) this.state.value = { ...this.state.value, waiting: [...fromDevice, ...this.state.value.waiting] };
    try {
      this.rejected.value = await rejections(this.user.id);
    } catch {
      // No IndexedDB: nothing was ever stored.
    }
  }

  private async afterReplay(sent: number, refused: number): Promise<void> {
    if (refused > 0) {
      this.rejected.value = await rejections(this.user.id);
      this.show({ kind: 'rejected', qr: '', words: { key: 'scan.refusedOnReplay', params: { count: refused } }, toScan: false });
    } else if (sent > 0) {
      this.show({ kind: 'info', qr: '', words: { key: 'scan.sent', params: { count: sent } }, toScan: false });
    }
  }

  /** What this device knows of the open parent survives a reload, so offline it still counts and checks. */
  private cacheParent(): void {
    const parent = this.state.value.parent;
    if (!parent) return;
    try {
      localStorage.setItem(cacheKey(this.user.id), JSON.stringify(parent));
    } catch {
      // Storage full or private mode: the count is then only as good as this page's memory.
    }
  }

  private cachedParent(qr: string): ParentView | null {
    try {
      const parent = JSON.parse(localStorage.getItem(cacheKey(this.user.id)) ?? 'null') as ParentView | null;
      return parent?.qr === qr ? parent : null;
    } catch {
      return null;
    }
  }
}
