// The board WebSocket: snapshot, then session updates; reconnects with backoff and starts again from the
// next snapshot, so a dropped connection never leaves stale tiles.
import { useEffect, useRef, useState } from 'preact/hooks';
import { closeAction } from '../../../shared/close-codes';
import type { BoardMessage } from '../../../shared/protocol';
import { applySession, applySnapshot, emptyBoard, prune, type BoardState } from './board-state';

export type SocketState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export function boardSocketUrl(areaId: string, loc: { protocol: string; host: string } = location): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/api/live/ws${areaId ? `?areaId=${encodeURIComponent(areaId)}` : ''}`;
}

export function useBoardSocket(areaId: string): { board: BoardState; socket: SocketState; error: string | null } {
  const [board, setBoard] = useState<BoardState>(emptyBoard);
  const [socket, setSocket] = useState<SocketState>('connecting');
  const [error, setError] = useState<string | null>(null);
  const attempt = useRef(0);

  useEffect(() => {
    let ws: WebSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    setBoard(emptyBoard());
    setSocket('connecting');

    const connect = () => {
      ws = new WebSocket(boardSocketUrl(areaId));
      ws.onopen = () => {
        attempt.current = 0;
        setError(null);
      };
      ws.onmessage = (event) => {
        let msg: BoardMessage | { type: 'error'; error?: { message?: string } };
        try {
          msg = JSON.parse(String(event.data));
        } catch {
          return;
        }
        const now = Date.now();
        if (msg.type === 'snapshot') {
          setSocket('live');
          setBoard((b) => applySnapshot(b, msg.sessions, now));
        } else if (msg.type === 'session') {
          setBoard((b) => applySession(b, msg, now));
        } else if (msg.type === 'error') {
          setError(msg.error?.message ?? 'The board reported an error.');
        }
      };
      ws.onclose = (event) => {
        if (closed) return;
        // Signed out or not allowed: retrying would only fail again.
        if (closeAction(event.code) !== 'retry') {
          setSocket('closed');
          setError('The board refused this connection (signed out or not allowed).');
          return;
        }
        setSocket('reconnecting');
        const delay = Math.min(15_000, 500 * 2 ** attempt.current++) + Math.random() * 300;
        retry = setTimeout(connect, delay);
      };
    };
    connect();
    // Completed tiles leave after their minute even when no message arrives.
    const sweep = setInterval(() => setBoard((b) => ({ ...b, tiles: prune(b.tiles, Date.now()) })), 5_000);
    return () => {
      closed = true;
      clearTimeout(retry);
      clearInterval(sweep);
      ws?.close(1000);
    };
  }, [areaId]);

  return { board, socket, error };
}
