// How a child scan travels, in scan order: over the parent's WebSocket when it is open, over HTTP when it is
// not, into the IndexedDB queue when neither answers; the queue replays in order over HTTP. Every scan keeps the
// scanId it was made with, so whichever way it (re)travels the server applies it once and answers repeats with
// its first answer. What the answers mean is ScannerSession's (and scan-state's) business, not this file's.
import type { ServerMessage } from '../../shared/protocol';
import { api, ApiError } from '../api/client';
import { connection, pendingScans } from '../state/connection';
import { countQueued, dequeue, enqueue, moveToRejected, queued, removeQueued, type QueuedScan } from './offline-queue';
import { ParentSocket } from './parent-socket';
import type { ScanAnswer, WaitingScan } from './scan-state';

/** No ack in this long: treat the socket as broken and send the scan the other way (same scanId). */
const ACK_TIMEOUT_MS = 5000;
/** While scans wait, try to deliver them this often even if no online/open event comes. */
const REPLAY_INTERVAL_MS = 5000;

export interface SenderEvents {
  /** The server answered a scan; `live` is false for a replayed one (the operator has moved on). */
  answered(scanId: string, answer: ScanAnswer, live: boolean): void;
  /** A scan that was on its way now waits on the device. */
  queued(scanId: string): void;
  /** A replay round ended: how many went through and how many the server refused (now in the rejections). */
  replayed(sent: number, refused: number): void;
  /** Anything else the parent's socket says (state, other devices' links). */
  socketMessage(parentQr: string, message: ServerMessage): void;
  socketRefused(parentQr: string, action: 'signed-out' | 'forbidden'): void;
}

/** Server trouble or no network: keep the scan and try again later rather than call it rejected. */
export function retryable(err: unknown): boolean {
  return !(err instanceof ApiError) || err.isNetwork || err.status >= 500 || err.status === 429;
}

export function errorOf(err: unknown): { code: string; message: string; [detail: string]: unknown } {
  if (err instanceof ApiError) return { ...err.details, code: err.code, message: err.message };
  return { code: 'CLIENT', message: err instanceof Error ? err.message : String(err) };
}

const toQueued = (s: WaitingScan): QueuedScan => ({ scanId: s.scanId, parentQr: s.parentQr, qr: s.qr, at: s.at, userId: s.userId, by: s.by });

export class ScanSender {
  private socket: ParentSocket | null = null;
  private inflight = new Map<string, { scan: WaitingScan; timer: ReturnType<typeof setTimeout> }>();
  /** Set as soon as anything is queued, so later scans queue behind it and order is kept. */
  private mustQueue = false;
  private queueWrites: Promise<void> = Promise.resolve();
  private httpChain: Promise<void> = Promise.resolve();
  private httpPending = 0;
  /** Set while a parent's open is on its way (holdUntil); scans chain onto it. */
  private gate: Promise<void> | null = null;
  private replaying: Promise<void> | null = null;
  private replayAgain = false;
  private readonly replayTimer: ReturnType<typeof setInterval>;
  private readonly onOnline = () => {
    this.socket?.retryNow();
    void this.replay();
  };
  private readonly onOffline = () => {
    connection.value = 'offline';
    // The browser knows the network is gone: stop waiting for acks that cannot come.
    this.socket?.interrupt();
  };

  constructor(
    private readonly userId: number,
    private readonly events: SenderEvents,
  ) {
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.replayTimer = setInterval(() => {
      if (pendingScans.value > 0 && navigator.onLine) void this.replay();
    }, REPLAY_INTERVAL_MS);
  }

  dispose(): void {
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    clearInterval(this.replayTimer);
    this.disconnect();
  }

  /** Scans kept on this device from earlier (a reload, another tab, before a sign-out). */
  async loadQueue(): Promise<QueuedScan[]> {
    try {
      const waiting = await queued(this.userId);
      await countQueued(this.userId);
      if (waiting.length > 0) {
        this.mustQueue = true;
        void this.replay();
      }
      return waiting;
    } catch {
      // No IndexedDB (private mode in some browsers): scans still go over the socket or HTTP.
      return [];
    }
  }

  get online(): boolean {
    return navigator.onLine && !this.mustQueue;
  }

  connect(parentQr: string): void {
    this.disconnect();
    this.socket = new ParentSocket(parentQr, {
      onOpen: () => void this.replay(),
      onDown: () => this.queueInflight(),
      onRefused: (action) => this.events.socketRefused(parentQr, action),
      onMessage: (message) => this.onSocketMessage(parentQr, message),
    });
  }

  disconnect(): void {
    this.socket?.close();
    this.socket = null;
    this.queueInflight();
  }

  resync(): void {
    this.socket?.send({ type: 'resync' });
  }

  /**
   * The parent's open is on its way: the server refuses a child of a parent it has not opened yet (a child's
   * POST can overtake the open's), so scans wait for the open's answer, whatever it is, in scan order.
   */
  holdUntil(open: Promise<unknown>): void {
    const gate = (this.gate ?? Promise.resolve()).then(() => open).then(
      () => undefined,
      () => undefined,
    );
    this.gate = gate;
    this.releaseAfter(gate);
  }

  private releaseAfter(gate: Promise<void>): void {
    void gate.then(() => {
      // Scans held meanwhile were chained onto the gate: release only after the last of them.
      if (this.gate === gate) this.gate = null;
      else if (this.gate) this.releaseAfter(this.gate);
    });
  }

  send(scan: WaitingScan): void {
    if (this.gate) {
      this.gate = this.gate.then(() => this.sendNow(scan));
      return;
    }
    this.sendNow(scan);
  }

  private sendNow(scan: WaitingScan): void {
    if (!scan.sent || this.mustQueue || !navigator.onLine) return this.queue([scan], scan.sent);
    // Over the socket only when nothing is still on its way over HTTP, so scans cannot overtake each other.
    if (this.httpPending === 0 && this.socket?.send({ type: 'scan', qr: scan.qr, scanId: scan.scanId })) {
      this.inflight.set(scan.scanId, { scan, timer: setTimeout(() => this.ackTimedOut(scan.scanId), ACK_TIMEOUT_MS) });
      return;
    }
    this.httpPending++;
    this.httpChain = this.httpChain.then(() => this.sendOverHttp(scan)).finally(() => this.httpPending--);
  }

  /** Takes back a scan still waiting on the device (Undo); false when it has already left. */
  async cancel(scanId: string): Promise<boolean> {
    await this.queueWrites;
    return removeQueued(this.userId, scanId);
  }

  /** One at a time, in scan order; once one fails for want of a network, the rest queue behind it. */
  private async sendOverHttp(scan: WaitingScan): Promise<void> {
    if (this.mustQueue) return this.queue([scan], true);
    try {
      const answer = await api<ScanAnswer>(`/api/parents/${encodeURIComponent(scan.parentQr)}/children`, { body: { qr: scan.qr, scanId: scan.scanId } });
      this.events.answered(scan.scanId, answer, true);
    } catch (err) {
      if (retryable(err)) this.queue([scan], true);
      else this.events.answered(scan.scanId, { result: 'rejected', childQr: scan.qr, childCount: -1, capacity: -1, status: 'open', error: errorOf(err) }, true);
    }
  }

  private onSocketMessage(parentQr: string, message: ServerMessage): void {
    if (message.type === 'ack') {
      const waiting = this.inflight.get(message.scanId);
      if (!waiting) return; // already re-sent another way; that answer is the one shown
      clearTimeout(waiting.timer);
      this.inflight.delete(message.scanId);
      this.events.answered(message.scanId, message, true);
      return;
    }
    this.events.socketMessage(parentQr, message);
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
    if (waiting.length) this.queue(waiting.map((w) => w.scan), true);
  }

  /** `wasOnItsWay`: the operator was waiting for the server's answer; tell them it now waits on the device. */
  private queue(scans: WaitingScan[], wasOnItsWay: boolean): void {
    this.mustQueue = true;
    // Writes chained so the queue keeps scan order even though IndexedDB is asynchronous.
    this.queueWrites = this.queueWrites.then(async () => {
      for (const scan of scans) await enqueue(toQueued(scan));
    });
    if (wasOnItsWay) for (const scan of scans) this.events.queued(scan.scanId);
    if (navigator.onLine) void this.replay();
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
    let scans: QueuedScan[];
    try {
      scans = await queued(this.userId);
    } catch {
      return;
    }
    if (scans.length === 0) {
      this.mustQueue = false;
      return;
    }
    const opened = new Map<string, { code: string; message: string } | null>();
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
          await moveToRejected(scan, parentError.code, 'parent');
          this.events.answered(scan.scanId, { result: 'rejected', childQr: scan.qr, childCount: -1, capacity: -1, status: 'open', error: parentError }, false);
          refused++;
          continue;
        }
        try {
          const answer = await api<ScanAnswer>(`/api/parents/${encodeURIComponent(scan.parentQr)}/children`, { body: { qr: scan.qr, scanId: scan.scanId } });
          if (answer.result === 'rejected') {
            await moveToRejected(scan, answer.error?.code ?? 'UNKNOWN', 'child', answer.error);
            refused++;
          } else {
            await dequeue(scan);
            sent++;
          }
          this.events.answered(scan.scanId, answer, false);
        } catch (err) {
          if (retryable(err)) throw err;
          await moveToRejected(scan, errorOf(err).code, 'child', errorOf(err));
          this.events.answered(scan.scanId, { result: 'rejected', childQr: scan.qr, childCount: -1, capacity: -1, status: 'open', error: errorOf(err) }, false);
          refused++;
        }
      } catch {
        // Still no way through: the rest waits, in order, for the next try.
        connection.value = navigator.onLine ? 'reconnecting' : 'offline';
        break;
      }
    }
    if (pendingScans.value === 0) this.mustQueue = false;
    if (sent + refused > 0) this.events.replayed(sent, refused);
    // The server's view is the truth after a replay (other devices may have scanned meanwhile).
    if (sent + refused > 0) this.resync();
    if (this.socket && !this.socket.isOpen) this.socket.retryNow();
  }
}
