// A push that never delays the caller and never piles up: at most one in flight; changes that arrive
// meanwhile mark it dirty, and the push in flight sends once more with the newest value when it is done.
// Used for summaries a parent sends to its board and its bill (liveness only: a lost push is repaired by
// the next one, or by the reader asking itself). Pure: the send and the background hook are injected.
//
// `minIntervalMs` (issue 15 point 4) caps the rate: a send starts at least that long after the previous one
// started. The leading edge is immediate (a request after a quiet interval sends at once, so a parent scanned
// once a second pushes exactly as before); requests inside the interval coalesce into one trailing send at the
// interval's end, which reads the newest value then. So the last change (a completion, a status change) is
// sent at most `minIntervalMs` after it happened (plus a send still in flight), and never dropped: a change
// that arrives during a send, even one that fails, gets a send of its own.

export interface CoalescingPushDeps {
  /** Sends the current value; reads it when called, so a coalesced round sends the newest. */
  send(): Promise<void>;
  /** Keeps the push alive after the caller returned (ctx.waitUntil). */
  background(p: Promise<unknown>): void;
  /** A send failed (the push stops until the next change). */
  failed(err: unknown): void;
  /** Sends start at least this many ms apart (0 or absent: no cap, the push only coalesces while in flight). */
  minIntervalMs?: number;
  /** Clock and timer, injectable for tests (default Date.now and setTimeout). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class CoalescingPush {
  private inFlight = false;
  private dirty = false;
  /** When the last send started (-Infinity: never). */
  private lastStart = -Infinity;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: CoalescingPushDeps) {
    this.minIntervalMs = Math.max(0, deps.minIntervalMs ?? 0);
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? defaultSleep;
  }

  /** Asks for a push; `send()` may return early itself when there is nothing to send any more. */
  request(): void {
    this.dirty = true;
    if (this.inFlight) return;
    this.inFlight = true;
    const run = async () => {
      while (this.dirty) {
        const wait = this.lastStart + this.minIntervalMs - this.now();
        // Requests during the wait only set `dirty`: they are all carried by the send below.
        if (this.minIntervalMs > 0 && wait > 0) await this.sleep(wait);
        this.dirty = false;
        this.lastStart = this.now();
        try {
          await this.deps.send();
        } catch (err) {
          // Reported; a change that arrived meanwhile still gets its send (the loop goes on only if dirty).
          this.deps.failed(err);
        }
      }
    };
    this.deps.background(run().finally(() => (this.inFlight = false)));
  }
}
