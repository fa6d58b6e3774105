// A push that never delays the caller and never piles up: at most one in flight; changes that arrive
// meanwhile mark it dirty, and the push in flight sends once more with the newest value when it is done.
// Used for summaries a parent sends to its board and its bill (liveness only: a lost push is repaired by
// the next one, or by the reader asking itself). Pure: the send and the background hook are injected.

export interface CoalescingPushDeps {
  /** Sends the current value; reads it when called, so a coalesced round sends the newest. */
  send(): Promise<void>;
  /** Keeps the push alive after the caller returned (ctx.waitUntil). */
  background(p: Promise<unknown>): void;
  /** A send failed (the push stops until the next change). */
  failed(err: unknown): void;
}

export class CoalescingPush {
  private inFlight = false;
  private dirty = false;

  constructor(private readonly deps: CoalescingPushDeps) {}

  /** Asks for a push; `send()` may return early itself when there is nothing to send any more. */
  request(): void {
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    this.inFlight = true;
    const run = async () => {
      do {
        this.dirty = false;
        await this.deps.send();
      } while (this.dirty);
    };
    this.deps.background(
      run()
        .catch((err) => this.deps.failed(err))
        .finally(() => (this.inFlight = false)),
    );
  }
}
