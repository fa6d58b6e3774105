// The parent bag's WebSocket (/api/parents/{qr}/ws): reconnects with capped, jittered backoff and hands every
// server message to the owner, which resyncs from the `state` message the server sends first on each
// connection. Socket state feeds the top bar's connection badge.
import { closeAction } from '../../shared/close-codes';
import type { ClientMessage, ServerMessage } from '../../shared/protocol';
import { connection } from '../state/connection';

export interface ParentSocketHandlers {
  onMessage(message: ServerMessage): void;
  /** The socket is open and the server's `state` is on its way. */
  onOpen(): void;
  /** The socket closed (any reason); scans awaiting an ack must go another way. */
  onDown(): void;
  /** The server refused the socket for good (parent gone, area forbidden, signed out). */
  onRefused(code: number, reason: string): void;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

export class ParentSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    readonly parentQr: string,
    private readonly handlers: ParentSocketHandlers,
  ) {
    this.connect();
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** False when the message could not be handed to an open socket. */
  send(message: ClientMessage): boolean {
    if (!this.isOpen) return false;
    try {
      this.ws!.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  /** Drop the current socket (e.g. the browser says it is offline) and try again with backoff. */
  interrupt(): void {
    if (this.closed) return;
    this.ws?.close();
  }

  /** Reconnect now rather than at the next backoff step (the network came back). */
  retryNow(): void {
    if (this.closed || this.isOpen || this.ws?.readyState === WebSocket.CONNECTING) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'left the parent');
  }

  private connect(): void {
    if (this.closed) return;
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      connection.value = 'offline';
      this.schedule();
      return;
    }
    const url = new URL(`/api/parents/${encodeURIComponent(this.parentQr)}/ws`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      connection.value = 'online';
      this.handlers.onOpen();
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws || typeof event.data !== 'string') return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      this.handlers.onMessage(message);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.handlers.onDown();
      if (this.closed) return;
      // Signed out or not allowed: retrying would only fail again.
      if (closeAction(event.code) !== 'retry') {
        this.handlers.onRefused(event.code, event.reason);
        return;
      }
      connection.value = navigator.onLine ? 'reconnecting' : 'offline';
      this.schedule();
    };
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt++;
    this.timer = setTimeout(() => this.connect(), base / 2 + Math.random() * base);
  }
}
