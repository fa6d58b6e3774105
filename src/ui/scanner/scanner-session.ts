// What the scanner screen shows and does, without any markup: the current parent, the last result, and the
// way each scan travels. A scan goes over the parent's WebSocket when it is open, over HTTP when it is not,
// and into the IndexedDB queue when neither answers; the queue replays in order over HTTP. Every scan
// carries one client scanId from the moment it is made, so whichever way it (re)travels the server
// applies it exactly once and answers repeats with its first answer.
import { signal } from '@preact/signals';
import type { ServerMessage } from '../../shared/protocol';
import { isChildQr, isParentQr, normalizeQr, PARENT_FORMAT, CHILD_FORMAT } from '../../shared/qr';
import type { ChildView, ParentStatus, ParentView, ScanResult, SessionUser } from '../../shared/types';
import { api, ApiError } from '../api/client';
import { connection, pendingScans } from '../state/connection';
import { playFeedback, type FeedbackKind } from './feedback';
import { countQueued, dequeue, dismissRejection, enqueue, moveToRejected, queued, rejections, type QueuedScan, type ReplayRejection } from './offline-queue';
import { ParentSocket } from './parent-socket';
import { rejectionWords, type ErrorLike } from './rejection';

export type OutcomeKind = 'linked' | 'duplicate' | 'rejected' | 'queued' | 'info';

export interface Outcome {
  kind: OutcomeKind;
  /** The scanned label (child or parent). */
  qr: string;
  /** What happened, in words. */
  words: string;
  /** Increments with every outcome, so the banner re-announces a repeat of the same words. */
  n: number;
}

interface ScanAnswer {
  result: ScanResult;
  childQr: string;
  childCount: number;
  capacity: number;
  status: ParentStatus;
  error?: ErrorLike;
}

/** No ack in this long: treat the socket as broken and send the scan the other way (same scanId). */
const ACK_TIMEOUT_MS = 5000;
/** While scans wait, try to deliver them this often even if no online/open event comes. */
const REPLAY_INTERVAL_MS = 5000;

const FEEDBACK: Record<OutcomeKind, FeedbackKind> = { linked: 'linked', duplicate: 'duplicate', rejected: 'error', queued: 'info', info: 'info' };

/** Server trouble or no network: keep the scan and try again later rather than call it rejected. */
function retryable(err: unknown): boolean {
  return !(err instanceof ApiError) || err.isNetwork || err.status >= 500 || err.status === 429;
}

function errorOf(err: unknown): ErrorLike {
  if (err instanceof ApiError) return { code: err.code, message: err.message, ...err.details };
  return { code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) };
}

export class ScannerSession {
  readonly parentQr = signal<string | null>(null);
  readonly parent = signal<ParentView | null>(null);
  readonly last = signal<Outcome | null>(null);
  /** A parent label scanned while the current parent is not complete, waiting for the operator's yes/no. */
  readonly pendingSwitch = signal<string | null>(null);
  readonly rejected = signal<ReplayRejection[]>([]);
  readonly busy = signal(false);
  /** Users without an area (admins) say which area new parents belong to. */
  readonly areaForNew = signal<number | undefined>(undefined);

  private socket: ParentSocket | null = null;
  private inflight = new Map<string, { scan: QueuedScan; timer: ReturnType<typeof setTimeout> }>();
  /** Set as soon as anything is queued, so later scans queue behind it and order is kept. */
  private mustQueue = false;
  private queueWrites: Promise<void> = Promise.resolve();
  private httpChain: Promise<void> = Promise.resolve();
  private httpPending = 0;
  private replaying: Promise<void> | null = null;
  private replayAgain = false;
  private replayTimer: ReturnType<typeof setInterval> | undefined;
  private outcomes = 0;
  private readonly onOnline = () => {
    this.socket?.retryNow();
    void this.replay();
  };
  private readonly onOffline = () => {
    connection.value = 'offline';
    // The browser knows the network is gone: stop waiting for acks that cannot come.
    this.socket?.interrupt();
  };

  constructor(readonly user: SessionUser, private readonly navigate: (parentQr: string | null) => void) {
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.replayTimer = setInterval(() => {
      if (pendingScans.value > 0 && navigator.onLine) void this.replay();
    }, REPLAY_INTERVAL_MS);
    void this.loadQueueState();
  }

  dispose(): void {
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    clearInterval(this.replayTimer);
    this.leaveParent();
  }

  /** The route names a parent (/scan/SB00012): open it unless it is the current one already. */
  showParent(qr: string | undefined): void {
    const wanted = qr ? normalizeQr(qr) : null;
    if (wanted === this.parentQr.value) return;
    if (wanted) void this.openParent(wanted);
    else this.leaveParent();
  }

  /** Every label from the wedge, the manual field or the camera comes in here. */
  handleCode(raw: string): void {
    const code = normalizeQr(raw);
    if (!code) return;
    if (isParentQr(code)) {
      const current = this.parent.value;
      if (code === this.parentQr.value) return this.show('info', code, `Already filling ${code}`);
      if (current && current.status !== 'completed' && current.childCount > 0) {
        this.pendingSwitch.value = code;
        return this.show('info', code, `${current.qr} is not complete (${current.childCount} / ${current.capacity}). Switch to ${code}?`);
      }
      void this.openParent(code);
      return;
    }
    if (!this.parentQr.value) {
      const words = isChildQr(code) ? `scan a parent label first (${PARENT_FORMAT})` : `not a bag label (parent: ${PARENT_FORMAT})`;
      return this.show('rejected', code, words);
    }
    if (!isChildQr(code)) return this.show('rejected', code, `not a valid bag label (expected ${CHILD_FORMAT})`);
    this.scanChild(code);
  }

  confirmSwitch(yes: boolean): void {
    const next = this.pendingSwitch.value;
    this.pendingSwitch.value = null;
    if (yes && next) void this.openParent(next);
    else this.show('info', this.parentQr.value ?? '', `Still filling ${this.parentQr.value}`);
  }

  async openParent(qr: string, areaId = this.user.areaId == null ? this.areaForNew.value : undefined): Promise<void> {
    this.leaveParent();
    this.parentQr.value = qr;
    this.navigate(qr);
    try {
      const { parent } = await api<{ parent: ParentView }>(`/api/parents/${encodeURIComponent(qr)}/open`, { method: 'POST', body: areaId ? { areaId } : {} });
      if (this.parentQr.value !== qr) return;
      this.parent.value = parent;
      this.show('info', qr, parent.status === 'completed' ? `${qr} is already complete` : `Filling ${qr}`);
    } catch (err) {
      if (this.parentQr.value !== qr) return;
      if (retryable(err)) {
        // Keep filling it offline: the replay opens it before its first queued child.
        connection.value = 'offline';
        this.show('queued', qr, `Offline: scans for ${qr} will wait on this device and be sent when back online`);
      } else {
        this.parentQr.value = null;
        this.navigate(null);
        this.show('rejected', qr, rejectionWords(errorOf(err), 'parent'));
        return;
      }
    }
    this.connect(qr);
  }

  leaveParent(): void {
    this.pendingSwitch.value = null;
    this.socket?.close();
    this.socket = null;
    this.queueInflight();
    this.parentQr.value = null;
    this.parent.value = null;
  }

  async undo(): Promise<void> {
    const qr = this.parentQr.value;
    if (!qr) return;
    this.busy.value = true;
    try {
      const answer = await api<{ removed: string; childCount: number; status?: ParentStatus }>(`/api/parents/${encodeURIComponent(qr)}/undo`, { method: 'POST', body: {} });
      this.removeChild(answer.removed, answer.childCount, answer.status);
      this.show('info', answer.removed, `Removed ${answer.removed} from ${qr}`);
    } catch (err) {
      this.show('rejected', qr, err instanceof ApiError && err.isNetwork ? 'undo needs a connection' : rejectionWords(errorOf(err)));
    } finally {
      this.busy.value = false;
    }
  }

  async complete(): Promise<void> {
    const qr = this.parentQr.value;
    if (!qr) return;
    this.busy.value = true;
    try {
      const { parent } = await api<{ parent: ParentView }>(`/api/parents/${encodeURIComponent(qr)}/complete`, { method: 'POST', body: {} });
      this.parent.value = parent;
      this.show('info', qr, `${qr} completed with ${parent.childCount} bags`);
    } catch (err) {
      this.show('rejected', qr, err instanceof ApiError && err.isNetwork ? 'completing needs a connection' : rejectionWords(errorOf(err)));
    } finally {
      this.busy.value = false;
    }
  }

  async dismiss(rejection: ReplayRejection): Promise<void> {
    await dismissRejection(rejection.seq!);
    this.rejected.value = this.rejected.value.filter((r) => r.seq !== rejection.seq);
  }

  // ------------------------------------------------------------------ scans

  private scanChild(qr: string): void {
    const scan: QueuedScan = { scanId: crypto.randomUUID(), parentQr: this.parentQr.value!, qr, at: new Date().toISOString(), userId: this.user.id };
    if (this.mustQueue || !navigator.onLine) return this.queue([scan], true);
    // Over the socket only when nothing is still on its way over HTTP, so scans cannot overtake each other.
    if (this.httpPending === 0 && this.socket?.send({ type: 'scan', qr, scanId: scan.scanId })) {
      this.inflight.set(scan.scanId, { scan, timer: setTimeout(() => this.ackTimedOut(scan.scanId), ACK_TIMEOUT_MS) });
      return;
    }
    this.httpPending++;
    this.httpChain = this.httpChain.then(() => this.sendOverHttp(scan)).finally(() => this.httpPending--);
  }

  /** One at a time, in scan order; once one fails for want of a network, the rest queue behind it. */
  private async sendOverHttp(scan: QueuedScan): Promise<void> {
    if (this.mustQueue) return this.queue([scan], true);
    try {
      const answer = await api<ScanAnswer>(`/api/parents/${encodeURIComponent(scan.parentQr)}/children`, { body: { qr: scan.qr, scanId: scan.scanId } });
      this.applyAnswer(scan, answer, true);
    } catch (err) {
      if (retryable(err)) this.queue([scan], true);
      else this.applyAnswer(scan, { result: 'rejected', childQr: scan.qr, childCount: -1, capacity: -1, status: 'open', error: errorOf(err) }, true);
    }
  }

  private ackTimedOut(scanId: string): void {
    if (!this.inflight.has(scanId)) return;
    // One lost ack means the socket cannot be trusted; everything in flight takes the queue in order.
    this.queueInflight();
    this.socket?.interrupt();
  }

  private queueInflight(): void {
    const waiting = [...this.inflight.values()];
    this.inflight.clear();
    for (const w of waiting) clearTimeout(w.timer);
    if (waiting.length) this.queue(waiting.map((w) => w.scan), false);
  }

  private queue(scans: QueuedScan[], announce: boolean): void {
    this.mustQueue = true;
    // Writes chained so the queue keeps scan order even though IndexedDB is asynchronous.
    this.queueWrites = this.queueWrites.then(async () => {
      for (const scan of scans) await enqueue(scan);
    });
    const last = scans[scans.length - 1]!;
    if (announce) this.show('queued', last.qr, `${last.qr} saved on this device, will be sent when the connection is back`);
    if (navigator.onLine) void this.replay();
  }

  private applyAnswer(scan: QueuedScan, answer: ScanAnswer, announce: boolean): void {
    if (scan.parentQr === this.parentQr.value && this.parent.value && answer.childCount >= 0) {
      const p = this.parent.value;
      const children =
        answer.result === 'linked' && !p.children.some((c) => c.qr === answer.childQr)
          ? [...p.children, { qr: answer.childQr, linkedAt: scan.at, by: this.user.username }]
          : p.children;
      this.parent.value = { ...p, childCount: answer.childCount, capacity: answer.capacity, status: answer.status, children };
    }
    if (!announce) return;
    if (answer.result === 'linked') {
      const full = answer.status === 'completed' ? ` — ${scan.parentQr} is complete` : '';
      this.show('linked', answer.childQr, `Linked to ${scan.parentQr}${full}`);
    } else if (answer.result === 'duplicate') {
      this.show('duplicate', answer.childQr, `Already in ${scan.parentQr} (scanned before)`);
    } else {
      this.show('rejected', answer.childQr, answer.error ? rejectionWords(answer.error) : 'rejected');
    }
  }

  private removeChild(childQr: string | undefined, childCount: number, status?: ParentStatus): void {
    const p = this.parent.value;
    if (!p) return;
    this.parent.value = { ...p, childCount, status: status ?? p.status, children: p.children.filter((c) => c.qr !== childQr) };
  }

  private show(kind: OutcomeKind, qr: string, words: string): void {
    this.last.value = { kind, qr, words, n: ++this.outcomes };
    playFeedback(FEEDBACK[kind]);
  }

  // ------------------------------------------------------------------ socket

  private connect(qr: string): void {
    this.socket = new ParentSocket(qr, {
      onOpen: () => void this.replay(),
      onDown: () => this.queueInflight(),
      onRefused: (_code, reason) => this.show('rejected', qr, `live connection refused: ${reason || 'sign in again'}`),
      onMessage: (message) => this.onMessage(qr, message),
    });
  }

  private onMessage(qr: string, message: ServerMessage): void {
    if (qr !== this.parentQr.value) return;
    switch (message.type) {
      case 'state':
        this.parent.value = message.parent;
        return;
      case 'ack': {
        const waiting = this.inflight.get(message.scanId);
        if (!waiting) return; // already re-sent another way; that answer is the one shown
        clearTimeout(waiting.timer);
        this.inflight.delete(message.scanId);
        this.applyAnswer(waiting.scan, message, true);
        return;
      }
      case 'linked':
      case 'unlinked':
      case 'completed':
        this.applyEvent(message);
        return;
      case 'undone':
      case 'error':
        return;
      default: {
        const unknown: never = message;
        void unknown;
      }
    }
  }

  private applyEvent(event: Extract<ServerMessage, { type: 'linked' | 'unlinked' | 'completed' }>): void {
    const p = this.parent.value;
    if (!p) return;
    let children: ChildView[] = p.children;
    if (event.type === 'linked' && event.childQr && !children.some((c) => c.qr === event.childQr)) {
      children = [...children, { qr: event.childQr, linkedAt: event.at, by: event.by }];
    } else if (event.type === 'linked' && event.childQr) {
      // Our own scan, added on the ack: take the server's time and name.
      children = children.map((c) => (c.qr === event.childQr ? { qr: c.qr, linkedAt: event.at, by: event.by } : c));
    } else if (event.type === 'unlinked') {
      children = children.filter((c) => c.qr !== event.childQr);
    }
    this.parent.value = { ...p, childCount: event.childCount, status: event.status, children };
  }

  // ------------------------------------------------------------------ offline queue

  private async loadQueueState(): Promise<void> {
    try {
      const waiting = await countQueued(this.user.id);
      this.rejected.value = await rejections(this.user.id);
      if (waiting > 0) {
        this.mustQueue = true;
        void this.replay();
      }
    } catch {
      // No IndexedDB (private mode in some browsers): scans still go over the socket or HTTP.
    }
  }

  /** Sends the queue in order over HTTP, each scan with its own scanId. One replay at a time. */
  replay(): Promise<void> {
    if (this.replaying) {
      // Scans queued during a run are picked up by one more run right after it.
      this.replayAgain = true;
      return this.replaying;
    }
    this.replaying = this.replayOnce().finally(() => {
      this.replaying = null;
      if (this.replayAgain) {
        this.replayAgain = false;
        void this.replay();
      }
    });
    return this.replaying;
  }

  private async replayOnce(): Promise<void> {
    await this.queueWrites;
    const scans = await queued(this.user.id);
    if (scans.length === 0) {
      this.mustQueue = false;
      return;
    }
    const opened = new Map<string, ErrorLike | null>();
    let sent = 0;
    let refused = 0;
    for (const scan of scans) {
      try {
        if (!opened.has(scan.parentQr)) {
          try {
            await api(`/api/parents/${encodeURIComponent(scan.parentQr)}/open`, { method: 'POST', body: {} });
            opened.set(scan.parentQr, null);
          } catch (err) {
            if (retryable(err)) throw err;
            opened.set(scan.parentQr, errorOf(err));
          }
        }
        const parentError = opened.get(scan.parentQr);
        if (parentError) {
          await moveToRejected(scan, parentError.code, `parent ${scan.parentQr}: ${rejectionWords(parentError, 'parent')}`);
          refused++;
          continue;
        }
        try {
          const answer = await api<ScanAnswer>(`/api/parents/${encodeURIComponent(scan.parentQr)}/children`, { body: { qr: scan.qr, scanId: scan.scanId } });
          await dequeue(scan);
          this.applyAnswer(scan, answer, false);
          sent++;
        } catch (err) {
          if (retryable(err)) throw err;
          await moveToRejected(scan, errorOf(err).code, rejectionWords(errorOf(err)));
          refused++;
        }
      } catch {
        // Still no way through: the rest waits, in order, for the next try.
        connection.value = navigator.onLine ? 'reconnecting' : 'offline';
        break;
      }
    }
    if (pendingScans.value === 0) this.mustQueue = false;
    if (refused > 0) {
      this.rejected.value = await rejections(this.user.id);
      this.show('rejected', '', `${refused} waiting scan${refused > 1 ? 's were' : ' was'} rejected — see the list below`);
    } else if (sent > 0) {
      this.show('info', '', `${sent} waiting scan${sent > 1 ? 's' : ''} sent`);
    }
    // The server's view is the truth after a replay (other devices may have scanned meanwhile).
    if (sent + refused > 0) this.socket?.send({ type: 'resync' });
    if (this.socket && !this.socket.isOpen) this.socket.retryNow();
  }
}
