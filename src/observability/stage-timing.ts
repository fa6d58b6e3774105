// Per-request stage timing for profiling the read side (issue 15 point 3): with SERVER_TIMING=true every
// answer carries a `Server-Timing` header (app, auth, reader, pg, board: milliseconds spent in each), so
// bench:read can say where a request's time goes under load. Off by default: the header is for benchmarks
// and local profiling, not for production clients. The request's accumulator travels with the request
// through AsyncLocalStorage (nodejs_compat), so helpers deep in the read path need no context argument.
// Note: workerd's clock advances only at I/O, so a stage is the I/O wait it spans plus the CPU before it.
import { AsyncLocalStorage } from 'node:async_hooks';

export class StageTimes {
  private readonly stages = new Map<string, number>();

  add(stage: string, ms: number): void {
    this.stages.set(stage, (this.stages.get(stage) ?? 0) + ms);
  }

  /** `name;dur=ms, …` (RFC: Server Timing), in the order the stages were first recorded. */
  header(): string {
    return [...this.stages].map(([name, ms]) => `${name};dur=${Math.round(ms * 100) / 100}`).join(', ');
  }
}

const current = new AsyncLocalStorage<StageTimes>();

/** Runs `fn` with `times` as the request's accumulator. */
export function withStageTimes<T>(times: StageTimes, fn: () => Promise<T>): Promise<T> {
  return current.run(times, fn);
}

/** Adds `ms` to `stage` of the current request (nothing when timing is off). */
export function recordStage(stage: string, ms: number): void {
  current.getStore()?.add(stage, ms);
}

/** Times `fn` as `stage` when the request is timed; otherwise just runs it. */
export async function timeStage<T>(stage: string, fn: () => Promise<T>): Promise<T> {
  const times = current.getStore();
  if (!times) return fn();
  const started = performance.now();
  try {
    return await fn();
  } finally {
    times.add(stage, performance.now() - started);
  }
}
