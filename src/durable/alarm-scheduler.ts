// An object's one alarm, shared by everything that wants it to run: the soonest request wins, except
// that a backoff (the alarm's work is failing) is never pulled earlier by new work arriving.
import { errorFields, log } from '../observability/log';

const MAX_BACKOFF_MS = 30_000;

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 30 s. */
export function backoffDelay(failures: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.75 + Math.random() / 2));
}

export class AlarmScheduler {
  private at: number | null = null;
  private backingOff = false;

  constructor(private readonly storage: DurableObjectStorage) {}

  /** Reads the stored alarm; call once while the object loads. */
  async load(): Promise<void> {
    this.at = await this.storage.getAlarm();
  }

  get pending(): boolean {
    return this.at !== null;
  }

  /** Call first thing in alarm(): the stored alarm is consumed. */
  fired(): void {
    this.at = null;
  }

  soon(delayMs: number): void {
    if (this.backingOff && this.at !== null) return;
    const at = Date.now() + delayMs;
    if (this.at !== null && this.at <= at) return;
    this.set(at);
  }

  backoff(failures: number): number {
    const delay = backoffDelay(failures);
    this.backingOff = true;
    this.set(Date.now() + delay);
    return delay;
  }

  recovered(): void {
    this.backingOff = false;
  }

  private set(at: number): void {
    this.at = at;
    // Not awaited: the output gate already holds replies until the alarm is stored.
    this.storage.setAlarm(at).catch((err) => log.error('setAlarm failed', errorFields(err)));
  }
}
