// Telling a keyboard-wedge scanner from a person, key by key. Pure (no DOM), tested in plain Node.
// A scanner types a label as a fast burst (about 5–16 ms a key) and usually ends it with Enter or Tab; some end
// with nothing. A person types slowly and uses Enter and Tab to press buttons and move focus. So:
//  - Enter or Tab ends the code when one has been typed; with nothing typed it is the person's key (Tab moves
//    focus out of the scanner input, Enter presses the focused button).
//  - A code typed as a fast burst with no terminator ends after a quiet gap.
// "Fast" is the burst's average pace, not every single gap: a Bluetooth scanner, or a phone busy with
// something else, now and then delivers one key late, and that one late key must not turn a scan into typing.

/** A burst whose keys average closer together than this is a scanner, not a person (people: 100 ms and up). */
export const BURST_GAP_MS = 50;
/** After a burst with no terminator, this much quiet ends the code. Well above any scanner's key spacing,
 * so a burst is never split; well below the time between two labels, so two scans are never merged. */
export const BURST_END_MS = 200;
/** A pause this long starts a new run of keys: what came before it does not make the pace of what follows. */
export const RUN_BREAK_MS = BURST_END_MS;

/** Text older than this when the next key comes is a stray key press, not the start of this code. */
export const STALE_MS = 2000;

export type KeyVerdict =
  /** Part of a code: kept, and the key must not reach whatever has focus. */
  | { take: true; code?: undefined; armTimer: boolean }
  /** The code is complete: hand it over; the key (a terminator) must not reach the page. */
  | { take: true; code: string; armTimer: false }
  /** Not ours: let the page have the key. */
  | { take: false; code?: undefined; armTimer: false };

export class WedgeBuffer {
  private text = '';
  private lastKeyAt = -Infinity;
  /** The current run of keys (no pause longer than RUN_BREAK_MS inside it): when it began, how many keys. */
  private runStart = -Infinity;
  private runKeys = 0;

  /** One keydown; `at` is the event's own timeStamp (when it was pressed, even if handled late). */
  key(key: string, at: number): KeyVerdict {
    if (key === 'Enter' || key === 'Tab') {
      if (this.text.trim() === '') {
        this.reset();
        return { take: false, armTimer: false };
      }
      return { take: true, code: this.flush(), armTimer: false };
    }
    if (key.length !== 1) return { take: false, armTimer: false };
    const gap = at - this.lastKeyAt;
    if (gap > STALE_MS) this.text = '';
    if (this.text === '' || gap > RUN_BREAK_MS) {
      this.runStart = at;
      this.runKeys = 0;
    }
    this.runKeys++;
    this.lastKeyAt = at;
    this.text += key;
    // Scanners without a terminator: end the code after a quiet gap, but only after a fast burst.
    return { take: true, armTimer: this.fastRun(2) };
  }

  /** The quiet gap after a burst passed: the code so far, if any. */
  quiet(): string | null {
    if (!this.fastRun(2) || this.text.trim() === '') return null;
    return this.flush();
  }

  get pending(): boolean {
    return this.text !== '';
  }

  /** The keys so far end in one fast burst of at least `min` keys: a scanner, not a person. */
  isBurst(min = 4): boolean {
    return this.text.trim().length >= min && this.fastRun(min);
  }

  reset(): void {
    this.text = '';
    this.lastKeyAt = -Infinity;
    this.runStart = -Infinity;
    this.runKeys = 0;
  }

  /** The current run has at least `min` keys at a scanner's average pace. */
  private fastRun(min: number): boolean {
    if (this.runKeys < Math.max(2, min)) return false;
    return (this.lastKeyAt - this.runStart) / (this.runKeys - 1) < BURST_GAP_MS;
  }

  private flush(): string {
    const code = this.text.trim().toUpperCase();
    this.reset();
    return code;
  }
}
