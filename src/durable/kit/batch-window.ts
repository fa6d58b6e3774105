// Collects keyed items and hands them on in batches, at most one batch per window (issue 15 point 4: the live
// board's broadcasts). The leading edge is immediate: items that arrive when no batch went out within the last
// `windowMs` go out at once, so a quiet board sends every change without delay; items that arrive inside the
// window wait for its end and go out together, the newest item per key only (a parent's newer summary replaces
// its older one). Nothing waits longer than one window, and nothing is dropped. Pure: clock and timer injected.

export interface BatchWindowDeps<T> {
  /** Hands on one batch (never empty), keys in the order of their newest change. */
  flush(items: T[]): void;
  /** At most one batch per this many ms (0: every add goes out at once). */
  windowMs: number;
  now?: () => number;
  /** Runs `fn` after `ms` (default setTimeout). */
  later?: (fn: () => void, ms: number) => void;
}

export class BatchWindow<T> {
  private readonly pending = new Map<string, T>();
  private lastFlush = -Infinity;
  private timerSet = false;
  private readonly now: () => number;
  private readonly later: (fn: () => void, ms: number) => void;

  constructor(private readonly deps: BatchWindowDeps<T>) {
    this.now = deps.now ?? Date.now;
    this.later = deps.later ?? ((fn, ms) => void setTimeout(fn, ms));
  }

  /** Items waiting for the window's end. */
  get waiting(): number {
    return this.pending.size;
  }

  add(items: ReadonlyArray<readonly [key: string, item: T]>): void {
    if (items.length === 0) return;
    for (const [key, item] of items) {
      // Re-inserted so a batch lists keys in the order of their newest change.
      this.pending.delete(key);
      this.pending.set(key, item);
    }
    if (this.timerSet) return;
    const wait = this.lastFlush + this.deps.windowMs - this.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timerSet = true;
    this.later(() => {
      this.timerSet = false;
      this.flush();
    }, wait);
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const items = [...this.pending.values()];
    this.pending.clear();
    this.lastFlush = this.now();
    this.deps.flush(items);
  }
}
