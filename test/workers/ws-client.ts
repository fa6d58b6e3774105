import { SELF } from 'cloudflare:test';
import { boardMessageSchema } from '../../src/shared/protocol';
import { BASE, tokenFor } from './helpers';

/** A test-side WebSocket that collects messages and lets a test wait for the next matching one. */
export class TestSocket {
  readonly messages: any[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<{ match: (m: any) => boolean; resolve: (m: any) => void; from: number }> = [];

  constructor(readonly ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      const msg = JSON.parse(e.data as string);
      this.messages.push(msg);
      this.waiters = this.waiters.filter((w) => {
        if (w.match(msg)) {
          w.resolve(msg);
          return false;
        }
        return true;
      });
    });
    ws.addEventListener('close', (e) => {
      this.closed = { code: e.code, reason: e.reason };
    });
  }

  static async connect(path: string, as: string): Promise<TestSocket> {
    const res = await SELF.fetch(`${BASE}${path}`, {
      headers: { Upgrade: 'websocket', authorization: `Bearer ${await tokenFor(as)}` },
    });
    if (!res.webSocket) throw new Error(`no upgrade: ${res.status} ${await res.text()}`);
    res.webSocket.accept();
    return new TestSocket(res.webSocket);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (already received or still to come) that matches. */
  next(match: (m: any) => boolean, timeoutMs = 5000): Promise<any> {
    const seen = this.messages.find(match);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a WebSocket message')), timeoutMs);
      this.waiters.push({
        match,
        from: this.messages.length,
        resolve: (m) => {
          clearTimeout(timer);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m);
        },
      });
    });
  }

  /**
   * The first parent summary on a board socket that matches, whether it came alone (`session`) or in a batched
   * broadcast (`sessions`, issue 15 point 4); frames are checked against the protocol's zod schema.
   */
  async nextSession(match: (s: any) => boolean, timeoutMs = 5000): Promise<any> {
    const frame = await this.next((m) => (m.type === 'session' && match(m)) || (m.type === 'sessions' && m.sessions.some(match)), timeoutMs);
    boardMessageSchema.parse(frame);
    if (frame.type === 'session') return frame;
    return frame.sessions.find(match);
  }

  close(): void {
    try {
      this.ws.close(1000, 'done');
    } catch {
      // already closed
    }
  }
}
