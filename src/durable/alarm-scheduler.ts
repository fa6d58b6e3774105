// An object's one alarm, shared by everything that wants it to run. Each duty has its own lane (the
// flush's `work`, the socket sweep's `sweep`, the board's `forward`): a lane's request keeps the soonest
// time asked, except that a lane backing off (its work is failing) is never pulled earlier by new work.
// The stored alarm is the soonest of all lanes; when it fires, the lanes due by then run and the others
// are armed again. An alarm stored by an earlier incarnation of the object (memory lost), or one no lane
// asked for, has no known lane: every lane counts as due then, which is safe because every duty is
// idempotent.
import { errorFields, log } from '../observability/log';

const MAX_BACKOFF_MS = 30_000;
/** Lanes due this little after the alarm's time run with it (one wake-up instead of two). */
const COALESCE_MS = 50;

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 30 s. */
export function backoffDelay(failures: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.75 + Math.random() / 2));
}

/** Which lanes the alarm that just fired is for. */
export type DueLanes = (lane?: string) => boolean;

interface AlarmStorage {
  getAlarm(): Promise<number | null>;
  setAlarm(at: number): Promise<void>;
}

export class AlarmScheduler {
  private readonly lanes = new Map<string, number>();
  private readonly backingOff = new Set<string>();
  /** An alarm found in storage at load: which lane it was for is not known any more. */
  private inherited: number | null = null;
  /** The alarm as last written to storage. */
  private stored: number | null = null;

  constructor(private readonly storage: AlarmStorage) {}

  /** Reads the stored alarm; call once while the object loads. */
  async load(): Promise<void> {
    const at = await this.storage.getAlarm();
    this.inherited = at;
    this.stored = at;
  }

  /** Whether the `work` lane has an alarm coming (an inherited alarm of unknown lane counts). */
  get pending(): boolean {
    return this.isPending('work');
  }

  isPending(lane: string): boolean {
    return this.lanes.has(lane) || this.inherited !== null;
  }

  /**
   * Call first thing in alarm(): the stored alarm is consumed. Returns which lanes it was for; the lanes
   * not due yet get the alarm again.
   */
  fired(now = Date.now()): DueLanes {
    const firedAt = this.stored ?? now;
    let all = this.inherited !== null;
    this.inherited = null;
    this.stored = null;
    const due = new Set<string>();
    for (const [lane, at] of this.lanes) {
      if (all || at <= Math.max(firedAt, now) + COALESCE_MS) due.add(lane);
    }
    // An alarm no lane asked for (set outside this scheduler): which duty it is for is unknown, so all run.
    if (due.size === 0) all = true;
    for (const lane of due) this.lanes.delete(lane);
    this.arm();
    return (lane = 'work') => all || due.has(lane);
  }

  soon(delayMs: number, lane = 'work'): void {
    if (this.backingOff.has(lane) && this.lanes.has(lane)) return;
    const at = Date.now() + delayMs;
    const current = this.lanes.get(lane);
    if (current !== undefined && current <= at) return;
    this.lanes.set(lane, at);
    this.arm();
  }

  backoff(failures: number, lane = 'work'): number {
    const delay = backoffDelay(failures);
    this.backingOff.add(lane);
    this.lanes.set(lane, Date.now() + delay);
    this.arm();
    return delay;
  }

  recovered(lane = 'work'): void {
    this.backingOff.delete(lane);
  }

  /** Stores the soonest lane's time (an inherited alarm stays until it fires). */
  private arm(): void {
    let at = this.inherited ?? Infinity;
    for (const t of this.lanes.values()) at = Math.min(at, t);
    if (at === Infinity || at === this.stored) return;
    this.stored = at;
    // Not awaited: the output gate already holds replies until the alarm is stored.
    this.storage.setAlarm(at).catch((err) => log.error('setAlarm failed', errorFields(err)));
  }
}
