// The parent bag's WebSocket (/api/parents/{qr}/ws) on the shared reconnecting socket; its state feeds the top
// bar's connection badge. The server sends the parent's `state` first on every connection, so a reconnect
// resyncs by itself.
import type { ClientMessage, ServerMessage } from '../../shared/protocol';
import { ReconnectingSocket, type SocketHandlers } from '../lib/reconnecting-socket';
import { connection } from '../state/connection';

export interface ParentSocketHandlers {
  onMessage(message: ServerMessage): void;
  onOpen(): void;
  onDown(): void;
  onRefused(action: 'signed-out' | 'forbidden'): void;
}

export class ParentSocket {
  private readonly socket: ReconnectingSocket;

  constructor(
    readonly parentQr: string,
    handlers: ParentSocketHandlers,
  ) {
    const h: SocketHandlers = {
      onMessage: (m) => handlers.onMessage(m as ServerMessage),
      onOpen: handlers.onOpen,
      onDown: handlers.onDown,
      onEnd: (action) => handlers.onRefused(action),
      onState: (state) => {
        if (state === 'open') connection.value = 'online';
        else if (state === 'offline') connection.value = 'offline';
        else if (state === 'reconnecting') connection.value = navigator.onLine ? 'reconnecting' : 'offline';
      },
    };
    this.socket = new ReconnectingSocket(`/api/parents/${encodeURIComponent(parentQr)}/ws`, h);
  }

  get isOpen(): boolean {
    return this.socket.isOpen;
  }
  send(message: ClientMessage): boolean {
    return this.socket.send(message);
  }
  interrupt(): void {
    this.socket.interrupt();
  }
  retryNow(): void {
    this.socket.retryNow();
  }
  close(): void {
    this.socket.close();
  }
}
