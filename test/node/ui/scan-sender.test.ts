// How a child scan travels (scanner/scan-sender.ts), with the network, IndexedDB and the parent's socket
// replaced by fakes: over the socket when it is open, over HTTP in scan order when it is not, into the device
// queue when neither answers, and the queue replayed in order (parent opened first) with each scan's own scanId.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../../src/shared/protocol';
import type { ScanAnswer, WaitingScan } from '../../../src/ui/scanner/scan-state';

const fakes = vi.hoisted(() => {
  type Rec = { seq?: number; scanId: string; parentQr: string; qr: string; at: string; userId: number; by?: string };
  const store = { queue: [] as Rec[], rejected: [] as Array<Rec & { code: string; as: string }>, seq: 0 };
  const sockets: Array<{ qr: string; open: boolean; sent: unknown[]; interrupted: number; handlers: { onOpen(): void; onDown(): void; onMessage(m: unknown): void } }> = [];
  return { store, sockets };
});

vi.mock('../../../src/ui/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/ui/api/client')>();
  return { ...actual, api: vi.fn() };
});

vi.mock('../../../src/ui/scanner/offline-queue', async () => {
  const { pendingScans } = await import('../../../src/ui/state/connection');
  const { store } = fakes;
  const mine = (userId: number) => store.queue.filter((s) => s.userId === userId);
  const count = (userId: number) => (pendingScans.value = mine(userId).length);
  return {
    enqueue: async (scan: (typeof store.queue)[number]) => {
      store.queue.push({ ...scan, seq: ++store.seq });
      count(scan.userId);
    },
    queued: async (userId: number) => mine(userId).map((s) => ({ ...s })),
    countQueued: async (userId: number) => count(userId),
    dequeue: async (scan: (typeof store.queue)[number]) => {
      store.queue = store.queue.filter((s) => s.seq !== scan.seq);
      count(scan.userId);
    },
    moveToRejected: async (scan: (typeof store.queue)[number], code: string, as: string) => {
      store.rejected.push({ ...scan, code, as });
      store.queue = store.queue.filter((s) => s.seq !== scan.seq);
      count(scan.userId);
    },
    removeQueued: async (userId: number, scanId: string) => {
      const before = store.queue.length;
      store.queue = store.queue.filter((s) => !(s.userId === userId && s.scanId === scanId));
      count(userId);
      return store.queue.length < before;
    },
  };
});

vi.mock('../../../src/ui/scanner/parent-socket', () => ({
  ParentSocket: class {
    private readonly me: (typeof fakes.sockets)[number];
    constructor(qr: string, handlers: (typeof fakes.sockets)[number]['handlers']) {
      this.me = { qr, open: false, sent: [], interrupted: 0, handlers };
      fakes.sockets.push(this.me);
    }
    get isOpen() {
      return this.me.open;
    }
    send(message: unknown) {
      if (!this.me.open) return false;
      this.me.sent.push(message);
      return true;
    }
    interrupt() {
      this.me.interrupted++;
      if (this.me.open) {
        this.me.open = false;
        this.me.handlers.onDown();
      }
    }
    retryNow() {}
    close() {
      this.me.open = false;
    }
  },
}));

const { api, ApiError } = await import('../../../src/ui/api/client');
const { ScanSender } = await import('../../../src/ui/scanner/scan-sender');
const apiMock = vi.mocked(api);

const USER = 7;
const scan = (qr: string, parentQr = 'SB00001'): WaitingScan => ({ scanId: `id-${qr}`, parentQr, qr, at: '2026-12-01T10:00:00.000Z', userId: USER, by: 'dispatcher', sent: true });
const linked = (qr: string, count: number): ScanAnswer => ({ result: 'linked', childQr: qr, childCount: count, capacity: 30, status: 'open' });
const network = () => new ApiError(0, 'NETWORK', 'offline');
const online = (on: boolean) => vi.stubGlobal('navigator', { onLine: on });
const flush = async () => {
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(0);
};

function sender() {
  const log = { answered: [] as Array<{ scanId: string; result: string; live: boolean }>, queued: [] as string[], replayed: [] as Array<[number, number]>, messages: [] as ServerMessage[] };
  const s = new ScanSender(USER, {
    answered: (scanId, answer, live) => log.answered.push({ scanId, result: answer.result, live }),
    queued: (scanId) => log.queued.push(scanId),
    replayed: (sent, refused) => log.replayed.push([sent, refused]),
    socketMessage: (_qr, m) => log.messages.push(m),
    socketRefused: () => undefined,
  });
  return { s, log };
}

/** The HTTP calls made, as `open SB…` / `child QR`. */
const calls = () => apiMock.mock.calls.map(([path, opts]) => (path.endsWith('/open') ? `open ${path.split('/')[3]}` : `child ${(opts?.body as { qr: string }).qr}`));

beforeEach(() => {
  vi.useFakeTimers();
  fakes.store.queue = [];
  fakes.store.rejected = [];
  fakes.sockets.length = 0;
  apiMock.mockReset();
  online(true);
  vi.stubGlobal('window', new EventTarget());
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('ScanSender', () => {
  it('sends over the open socket and takes the ack as the answer', async () => {
    const { s, log } = sender();
    s.connect('SB00001');
    fakes.sockets[0]!.open = true;
    s.send(scan('C0001'));
    expect(fakes.sockets[0]!.sent).toEqual([{ type: 'scan', qr: 'C0001', scanId: 'id-C0001' }]);
    fakes.sockets[0]!.handlers.onMessage({ type: 'ack', scanId: 'id-C0001', ...linked('C0001', 1) });
    expect(log.answered).toEqual([{ scanId: 'id-C0001', result: 'linked', live: true }]);
    // Other messages of the socket go to the session.
    fakes.sockets[0]!.handlers.onMessage({ type: 'resync' });
    expect(log.messages).toHaveLength(1);
    expect(apiMock).not.toHaveBeenCalled();
    s.dispose();
  });

  it('without a socket, sends over HTTP one at a time in scan order', async () => {
    const { s, log } = sender();
    let release!: () => void;
    apiMock.mockImplementationOnce(() => new Promise((r) => (release = () => r(linked('C0001', 1)))));
    apiMock.mockResolvedValueOnce(linked('C0002', 2));
    s.send(scan('C0001'));
    s.send(scan('C0002'));
    await flush();
    // The second waits for the first's answer.
    expect(calls()).toEqual(['child C0001']);
    release();
    await flush();
    expect(calls()).toEqual(['child C0001', 'child C0002']);
    expect(log.answered.map((a) => a.scanId)).toEqual(['id-C0001', 'id-C0002']);
    s.dispose();
  });

  it('a scan on its way over HTTP keeps later scans off the socket until it is answered', async () => {
    const { s } = sender();
    s.connect('SB00001');
    let release!: () => void;
    apiMock.mockImplementationOnce(() => new Promise((r) => (release = () => r(linked('C0001', 1)))));
    s.send(scan('C0001'));
    fakes.sockets[0]!.open = true;
    apiMock.mockResolvedValueOnce(linked('C0002', 2));
    s.send(scan('C0002'));
    await flush();
    expect(fakes.sockets[0]!.sent).toEqual([]);
    expect(calls()).toEqual(['child C0001']);
    release();
    await flush();
    expect(calls()).toEqual(['child C0001', 'child C0002']);
    s.dispose();
  });

  it('queues what the network could not take, queues later scans behind it, and replays them in order', async () => {
    const { s, log } = sender();
    apiMock.mockRejectedValueOnce(network());
    s.send(scan('C0001'));
    await flush();
    expect(log.queued).toEqual(['id-C0001']);
    // The replay of C0001 fails too (still no network): C0002 must not overtake it.
    apiMock.mockRejectedValue(network());
    s.send(scan('C0002'));
    await flush();
    expect(fakes.store.queue.map((q) => q.qr)).toEqual(['C0001', 'C0002']);
    expect(s.online).toBe(false);
    // The network is back: the parent is opened first, then each child with its own scanId, in order.
    apiMock.mockReset();
    apiMock.mockImplementation(async (path, opts) => (path.endsWith('/open') ? {} : linked((opts!.body as { qr: string }).qr, 1)));
    window.dispatchEvent(new Event('online'));
    await flush();
    expect(calls()).toEqual(['open SB00001', 'child C0001', 'child C0002']);
    expect(apiMock.mock.calls.slice(1).map(([, o]) => (o!.body as { scanId: string }).scanId)).toEqual(['id-C0001', 'id-C0002']);
    expect(fakes.store.queue).toEqual([]);
    expect(log.replayed).toEqual([[2, 0]]);
    expect(log.answered.filter((a) => !a.live).map((a) => a.scanId)).toEqual(['id-C0001', 'id-C0002']);
    expect(s.online).toBe(true);
    s.dispose();
  });

  it('a lost ack sends everything in flight to the queue in order, drops the socket, and replays over HTTP', async () => {
    const { s, log } = sender();
    s.connect('SB00001');
    const socket = fakes.sockets[0]!;
    socket.open = true;
    apiMock.mockImplementation(async (path, opts) => (path.endsWith('/open') ? {} : linked((opts!.body as { qr: string }).qr, 1)));
    s.send(scan('C0001'));
    s.send(scan('C0002'));
    expect(socket.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5_000);
    await flush();
    expect(socket.interrupted).toBeGreaterThan(0);
    expect(log.queued).toEqual(['id-C0001', 'id-C0002']);
    expect(calls()).toEqual(['open SB00001', 'child C0001', 'child C0002']);
    // A late ack for a scan already re-sent is not a second answer.
    socket.handlers.onMessage({ type: 'ack', scanId: 'id-C0001', ...linked('C0001', 1) });
    expect(log.answered.filter((a) => a.scanId === 'id-C0001')).toHaveLength(1);
    s.dispose();
  });

  it('on replay, a parent the server refuses takes its waiting children to the rejections; other parents go on', async () => {
    const { s, log } = sender();
    online(false);
    s.send(scan('C0001', 'SB00001'));
    s.send(scan('C0002', 'SB00002'));
    await flush();
    expect(apiMock).not.toHaveBeenCalled();
    apiMock.mockImplementation(async (path, opts) => {
      if (path === '/api/parents/SB00001/open') throw new ApiError(403, 'AREA_FORBIDDEN', 'other area');
      return path.endsWith('/open') ? {} : linked((opts!.body as { qr: string }).qr, 1);
    });
    online(true);
    window.dispatchEvent(new Event('online'));
    await flush();
    expect(calls()).toEqual(['open SB00001', 'open SB00002', 'child C0002']);
    expect(fakes.store.rejected.map((r) => [r.qr, r.code, r.as])).toEqual([['C0001', 'AREA_FORBIDDEN', 'parent']]);
    expect(log.replayed).toEqual([[1, 1]]);
    s.dispose();
  });

  it('a refusal over HTTP is an answer, not a reason to queue', async () => {
    const { s, log } = sender();
    apiMock.mockRejectedValueOnce(new ApiError(409, 'QR_ROLE_CONFLICT', 'a parent label'));
    s.send(scan('SB00009'));
    await flush();
    expect(log.answered).toEqual([{ scanId: 'id-SB00009', result: 'rejected', live: true }]);
    expect(log.queued).toEqual([]);
    expect(fakes.store.queue).toEqual([]);
    s.dispose();
  });

  it('Undo takes back a scan still waiting on the device', async () => {
    const { s } = sender();
    online(false);
    s.send(scan('C0001'));
    await flush();
    expect(await s.cancel('id-C0001')).toBe(true);
    expect(await s.cancel('id-C0001')).toBe(false);
    s.dispose();
  });
});

describe('ScanSender while a parent opens', () => {
  it("holds children until the parent's open is answered, then sends them in scan order", async () => {
    const { s } = sender();
    let answerOpen!: () => void;
    const open = new Promise<void>((r) => (answerOpen = r));
    s.holdUntil(open);
    apiMock.mockImplementation(async (_path, opts) => linked((opts!.body as { qr: string }).qr, 1));
    s.send(scan('C0001'));
    s.send(scan('C0002'));
    await flush();
    // A child that reached the server before its parent's open would be refused (never opened).
    expect(apiMock).not.toHaveBeenCalled();
    answerOpen();
    await flush();
    expect(calls()).toEqual(['child C0001', 'child C0002']);
    // The gate is gone: the next scan goes at once.
    s.connect('SB00001');
    fakes.sockets[0]!.open = true;
    s.send(scan('C0003'));
    expect(fakes.sockets[0]!.sent).toHaveLength(1);
    s.dispose();
  });

  it('a refused or failed open releases the children too (the server answers each)', async () => {
    const { s } = sender();
    apiMock.mockImplementation(async (_path, opts) => linked((opts!.body as { qr: string }).qr, 1));
    s.holdUntil(Promise.reject(new ApiError(403, 'AREA_FORBIDDEN', 'other area')));
    s.send(scan('C0001'));
    await flush();
    expect(calls()).toEqual(['child C0001']);
    s.dispose();
  });
});
