// The UI's one WebSocket client (parent, board and bill sockets) treats the server's close codes the same way
// everywhere (issue 10.3): "signed out" (4001) goes back to sign-in and is never retried, "not allowed" (4003,
// 1008) stops, anything else (deploys, network drops, limits) reconnects with backoff.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setUnauthenticatedHandler } from '../../../src/ui/api/client';
import { ReconnectingSocket, type SocketHandlers } from '../../../src/ui/lib/reconnecting-socket';
import { CLOSE_CODES } from '../../../src/shared/close-codes';

class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static opened: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  sent: string[] = [];
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.serverClose(1000, '');
  }
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

function handlers() {
  const calls = { states: [] as string[], ends: [] as string[], downs: 0, messages: [] as unknown[] };
  const h: SocketHandlers = {
    onMessage: (m) => calls.messages.push(m),
    onDown: () => calls.downs++,
    onEnd: (action) => calls.ends.push(action),
    onState: (s) => calls.states.push(s),
  };
  return { h, calls };
}

beforeEach(() => {
  FakeSocket.opened = [];
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('navigator', { onLine: true });
  vi.stubGlobal('location', { protocol: 'https:', host: 'tracetrack.example' });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('ReconnectingSocket', () => {
  it('connects to the path on the page origin and hands over each JSON message', () => {
    const { h, calls } = handlers();
    const socket = new ReconnectingSocket('/api/live/ws', h);
    const ws = FakeSocket.opened[0]!;
    expect(ws.url).toBe('wss://tracetrack.example/api/live/ws');
    ws.open();
    expect(socket.isOpen).toBe(true);
    ws.onmessage?.({ data: '{"type":"snapshot","sessions":[]}' });
    ws.onmessage?.({ data: 'not json' });
    expect(calls.messages).toEqual([{ type: 'snapshot', sessions: [] }]);
    expect(socket.send({ type: 'resync' })).toBe(true);
    expect(ws.sent).toEqual(['{"type":"resync"}']);
  });

  it('goes back to sign-in when the server says signed out, and never retries', () => {
    const signedOut = vi.fn();
    setUnauthenticatedHandler(signedOut);
    const { h, calls } = handlers();
    new ReconnectingSocket('/api/parents/SB00001/ws', h);
    FakeSocket.opened[0]!.open();
    FakeSocket.opened[0]!.serverClose(CLOSE_CODES.SESSION_ENDED, 'session expired or signed out');
    expect(calls.ends).toEqual(['signed-out']);
    expect(calls.downs).toBe(1);
    expect(signedOut).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.opened).toHaveLength(1);
    expect(calls.states.at(-1)).toBe('ended');
  });

  it('stops when not allowed (the objects send 4003, the runtime 1008)', () => {
    for (const code of [CLOSE_CODES.FORBIDDEN, 1008]) {
      FakeSocket.opened = [];
      const { h, calls } = handlers();
      new ReconnectingSocket('/api/bills/B1/ws', h);
      FakeSocket.opened[0]!.serverClose(code);
      vi.advanceTimersByTime(60_000);
      expect(calls.ends).toEqual(['forbidden']);
      expect(FakeSocket.opened).toHaveLength(1);
    }
  });

  it('reconnects after anything else (a deploy, a dropped network, a limit), with backoff', () => {
    const { h, calls } = handlers();
    new ReconnectingSocket('/api/live/ws', h);
    FakeSocket.opened[0]!.open();
    FakeSocket.opened[0]!.serverClose(1006);
    expect(calls.states.at(-1)).toBe('reconnecting');
    // The first retry comes within 1.5 × 250 ms (jitter), not at once.
    expect(FakeSocket.opened).toHaveLength(1);
    vi.advanceTimersByTime(400);
    expect(FakeSocket.opened).toHaveLength(2);
    FakeSocket.opened[1]!.serverClose(CLOSE_CODES.RATE_LIMITED);
    vi.advanceTimersByTime(800);
    expect(FakeSocket.opened).toHaveLength(3);
    expect(calls.ends).toEqual([]);
  });

  it('closed by the page: no reconnect', () => {
    const { h } = handlers();
    const socket = new ReconnectingSocket('/api/live/ws', h);
    FakeSocket.opened[0]!.open();
    socket.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.opened).toHaveLength(1);
  });
});
