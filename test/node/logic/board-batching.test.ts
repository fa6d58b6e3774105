// Issue 15 point 4: a parent's board push capped at one per 100 ms (CoalescingPush minIntervalMs) and a board's
// broadcasts batched per window (BatchWindow), with fake timers (no workerd).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchWindow } from '../../../src/durable/kit/batch-window';
import { CoalescingPush } from '../../../src/durable/kit/coalescing-push';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

/** A push whose sends are recorded with their time and the value they read; `sendMs`: how long each send takes. */
function recordingPush(minIntervalMs: number, sendMs = 0, fail?: (call: number) => boolean) {
  const state = { value: 0 };
  const sent: Array<{ at: number; value: number }> = [];
  const errors: unknown[] = [];
  const background: Promise<unknown>[] = [];
  const push = new CoalescingPush({
    minIntervalMs,
    send: async () => {
      sent.push({ at: Date.now(), value: state.value });
      if (sendMs > 0) await new Promise((r) => setTimeout(r, sendMs));
      if (fail?.(sent.length)) throw new Error('board away');
    },
    background: (p) => void background.push(p),
    failed: (err) => void errors.push(err),
  });
  const change = (v: number) => {
    state.value = v;
    push.request();
  };
  return { change, sent, errors, background };
}

const T = 1_000_000;

describe('board push, at most once per 100 ms per parent', () => {
  it('the leading edge goes at once: a parent scanned once a second pushes every scan without delay', async () => {
    const p = recordingPush(100);
    for (let i = 1; i <= 5; i++) {
      p.change(i);
      await vi.advanceTimersByTimeAsync(0);
      expect(p.sent.at(-1)).toEqual({ at: T + (i - 1) * 1000, value: i });
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(p.sent).toHaveLength(5);
  });

  it('changes inside 100 ms of a send coalesce into one trailing send at the interval end, with the newest value', async () => {
    const p = recordingPush(100);
    p.change(1);
    await vi.advanceTimersByTimeAsync(10);
    p.change(2);
    await vi.advanceTimersByTimeAsync(30);
    p.change(3);
    await vi.advanceTimersByTimeAsync(20);
    p.change(4); // 60 ms after the first send
    await vi.advanceTimersByTimeAsync(39);
    expect(p.sent).toEqual([{ at: T, value: 1 }]);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.sent).toEqual([{ at: T, value: 1 }, { at: T + 100, value: 4 }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(p.sent).toHaveLength(2); // nothing more to send
    await Promise.all(p.background);
  });

  it('a steady stream faster than 10/s gives one send per 100 ms, and the last change (the completion) is never later than that', async () => {
    const p = recordingPush(100);
    for (let i = 1; i <= 30; i++) {
      p.change(i); // 30 scans, 20 ms apart: the parent fills and completes at 30
      await vi.advanceTimersByTimeAsync(20);
    }
    const completedAt = T + 29 * 20;
    await vi.advanceTimersByTimeAsync(200);
    const starts = p.sent.map((s) => s.at);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(100);
    expect(p.sent.length).toBeLessThanOrEqual(Math.ceil((29 * 20) / 100) + 1);
    expect(p.sent.at(-1)!.value).toBe(30);
    expect(p.sent.at(-1)!.at - completedAt).toBeLessThanOrEqual(100);
  });

  it('a change during a slow send is sent after it, still at least 100 ms after the previous start', async () => {
    const p = recordingPush(100, 150);
    p.change(1);
    await vi.advanceTimersByTimeAsync(50);
    p.change(2);
    await vi.advanceTimersByTimeAsync(99);
    expect(p.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // the first send ends at 150 ms; 150 ≥ 100: the next starts at once
    expect(p.sent).toEqual([{ at: T, value: 1 }, { at: T + 150, value: 2 }]);
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(p.background);
  });

  it('a change that arrived while a send failed is not lost: it gets its own send', async () => {
    const p = recordingPush(100, 10, (call) => call === 1);
    p.change(1);
    await vi.advanceTimersByTimeAsync(5);
    p.change(2); // the completion, say, while the first push is failing
    await vi.advanceTimersByTimeAsync(200);
    expect(p.errors).toHaveLength(1);
    expect(p.sent).toEqual([{ at: T, value: 1 }, { at: T + 100, value: 2 }]);
    // A failure with nothing newer stops the push until the next change, which goes at once (leading edge).
    const q = recordingPush(100, 0, (call) => call === 1);
    const from = Date.now();
    q.change(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(q.sent).toHaveLength(1);
    q.change(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(q.sent.at(-1)).toEqual({ at: from + 500, value: 2 });
  });

  it('without minIntervalMs the push only coalesces while one is in flight (the bill push)', async () => {
    const p = recordingPush(0, 30);
    p.change(1);
    await vi.advanceTimersByTimeAsync(10);
    p.change(2);
    p.change(3);
    await vi.advanceTimersByTimeAsync(20);
    expect(p.sent).toEqual([{ at: T, value: 1 }, { at: T + 30, value: 3 }]);
    await vi.advanceTimersByTimeAsync(30);
    p.change(4);
    await vi.advanceTimersByTimeAsync(0);
    expect(p.sent.at(-1)).toEqual({ at: T + 60, value: 4 }); // 0 ms after the previous send ended
  });
});

describe('board broadcasts, batched per window', () => {
  const summary = (qr: string, n: number) => ({ qr, n });
  function board(windowMs = 100) {
    const frames: Array<{ at: number; items: Array<{ qr: string; n: number }> }> = [];
    const w = new BatchWindow<{ qr: string; n: number }>({ windowMs, flush: (items) => void frames.push({ at: Date.now(), items }) });
    const update = (...items: Array<{ qr: string; n: number }>) => w.add(items.map((i) => [i.qr, i] as const));
    return { frames, update, w };
  }

  it('a single update on a quiet board goes out at once', () => {
    const b = board();
    b.update(summary('SB1', 1));
    expect(b.frames).toEqual([{ at: T, items: [summary('SB1', 1)] }]);
  });

  it('updates inside the window after a broadcast go out together at its end, the newest per parent', async () => {
    const b = board();
    b.update(summary('SB1', 1));
    await vi.advanceTimersByTimeAsync(10);
    b.update(summary('SB2', 5));
    await vi.advanceTimersByTimeAsync(10);
    b.update(summary('SB1', 2));
    b.update(summary('SB3', 1));
    await vi.advanceTimersByTimeAsync(50);
    b.update(summary('SB1', 3));
    expect(b.frames).toHaveLength(1);
    expect(b.w.waiting).toBe(3);
    await vi.advanceTimersByTimeAsync(30);
    expect(b.frames[1]).toEqual({ at: T + 100, items: [summary('SB2', 5), summary('SB3', 1), summary('SB1', 3)] });
    // Quiet again for a window: the next update is immediate.
    await vi.advanceTimersByTimeAsync(150);
    b.update(summary('SB4', 1));
    expect(b.frames.at(-1)).toEqual({ at: T + 250, items: [summary('SB4', 1)] });
  });

  it('under a steady stream: one broadcast per window, none waits longer than a window, nothing lost', async () => {
    const b = board();
    const last = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const s = summary(`SB${i % 7}`, i);
      last.set(s.qr, i);
      b.update(s); // 1,000 updates/s across 7 parents
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(100);
    const at = b.frames.map((f) => f.at);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(100);
    expect(b.frames.length).toBeLessThanOrEqual(4); // 0, 100, 200 and the tail
    const seen = new Map<string, number>();
    for (const f of b.frames) for (const s of f.items) seen.set(s.qr, s.n);
    expect(seen).toEqual(last);
  });

  it('several summaries added at once (the all-areas board) on a quiet board go out as one batch at once', () => {
    const b = board();
    b.update(summary('SB1', 1), summary('SB2', 2));
    expect(b.frames).toEqual([{ at: T, items: [summary('SB1', 1), summary('SB2', 2)] }]);
  });

  it('a window of 0 sends every update at once', () => {
    const b = board(0);
    b.update(summary('SB1', 1));
    b.update(summary('SB1', 2));
    expect(b.frames.map((f) => f.items)).toEqual([[summary('SB1', 1)], [summary('SB1', 2)]]);
  });
});
