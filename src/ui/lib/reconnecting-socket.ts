// The one WebSocket client of the UI (parent, board and bill sockets): reconnects with capped, jittered
// backoff, hands each JSON message to its owner, and treats the server's close codes the same way
// everywhere (src/shared/close-codes.ts): "signed out" sends the app back to sign-in and "not allowed"
// stops — neither is retried — while anything else (deploys, network drops, limits) reconnects.
import { closeAction } from '../../shared/close-codes';
import { reportSignedOut } from '../api/client';

export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'ended';

export interface SocketHandlers {
  onMessage(message: unknown): void;
  /** Open; the server's first message (state, snapshot) is on its way. */
  onOpen?(): void;
  /** Closed for any reason: whatever waited for an answer on it must go another way. */
  onDown?(): void;
  /** The server closed it for good (signed out, not allowed). */
  onEnd?(action: 'signed-out' | 'forbidden', code: number, reason: string): void;
  onState?(state: SocketState): void;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000, 15000];

export function socketUrl(path: string, loc: { protocol: string; host: string } = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${path}`;
}

export class ReconnectingSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly handlers: SocketHandlers,
  ) {
    this.connect();
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** False when the message could not be handed to an open socket. */
  send(message: unknown): boolean {
    if (!this.isOpen) return false;
    try {
      this.ws!.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  /** Drop the current socket (an ack never came, the browser went offline) and reconnect with backoff. */
  interrupt(): void {
    if (!this.closed) this.ws?.close();
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
    ws?.close(1000, 'closed by the page');
  }

  private connect(): void {
    if (this.closed) return;
    if (!navigator.onLine) {
      this.handlers.onState?.('offline');
      this.schedule();
      return;
    }
    this.handlers.onState?.(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(socketUrl(this.path));
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.handlers.onState?.('open');
      this.handlers.onOpen?.();
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws || typeof event.data !== 'string') return;
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      this.handlers.onMessage(message);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.handlers.onDown?.();
      if (this.closed) return;
      const action = closeAction(event.code);
      if (action !== 'retry') {
        this.closed = true;
        this.handlers.onState?.('ended');
        this.handlers.onEnd?.(action, event.code, event.reason);
        if (action === 'signed-out') reportSignedOut();
        return;
      }
      this.handlers.onState?.(navigator.onLine ? 'reconnecting' : 'offline');
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
