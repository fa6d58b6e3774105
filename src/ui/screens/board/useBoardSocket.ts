// The board WebSocket: snapshot, then session updates (`session` for one parent, `sessions` for a batched
// broadcast window), on the shared reconnecting socket; it starts again from the next snapshot after a
// reconnect, so a dropped connection never leaves stale tiles.
import { useEffect, useState } from 'preact/hooks';
import type { BoardMessage } from '../../../shared/protocol';
import { ReconnectingSocket } from '../../lib/reconnecting-socket';
import { applySession, applySessions, applySnapshot, emptyBoard, prune, type BoardState } from './board-state';

export type SocketState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export function boardSocketPath(areaId: string): string {
  return `/api/live/ws${areaId ? `?areaId=${encodeURIComponent(areaId)}` : ''}`;
}

export function useBoardSocket(areaId: string): { board: BoardState; socket: SocketState; error: string | null } {
  const [board, setBoard] = useState<BoardState>(emptyBoard);
  const [socket, setSocket] = useState<SocketState>('connecting');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setBoard(emptyBoard());
    setSocket('connecting');
    const ws = new ReconnectingSocket(boardSocketPath(areaId), {
      onOpen: () => setError(null),
      onMessage: (raw) => {
        const msg = raw as BoardMessage | { type: 'error'; error?: { message?: string } };
        const now = Date.now();
        if (msg.type === 'snapshot') {
          setSocket('live');
          setBoard((b) => applySnapshot(b, msg.sessions, now));
        } else if (msg.type === 'session') {
          setBoard((b) => applySession(b, msg, now));
        } else if (msg.type === 'sessions') {
          setBoard((b) => applySessions(b, msg.sessions, now));
        } else if (msg.type === 'error') {
          setError(msg.error?.message ?? 'The board reported an error.');
        }
      },
      onState: (state) => {
        if (state === 'reconnecting' || state === 'offline') setSocket('reconnecting');
        if (state === 'ended') setSocket('closed');
      },
      // Signed out goes back to sign-in by itself; not allowed is said here, and neither is retried.
      onEnd: () => setError('The board refused this connection (signed out or not allowed).'),
    });
    // Completed tiles leave after their minute even when no message arrives.
    const sweep = setInterval(() => setBoard((b) => ({ ...b, tiles: prune(b.tiles, Date.now()) })), 5_000);
    return () => {
      clearInterval(sweep);
      ws.close();
    };
  }, [areaId]);

  return { board, socket, error };
}
