// Metrics, recorded off the ack path: `count` and `observe` only add to a per-isolate buffer in memory
// (synchronous, no I/O, nothing awaited), aggregated per minute and label set. About once a second a flush sends
// the buffer to the MetricsStore object (which keeps per-minute rows for 25 h and cumulative totals for
// /metrics) and, when the binding exists (production), to the Workers Analytics Engine dataset. The flush runs
// in the background of whatever request or object event recorded first (waitUntil), never before an answer.

/** Histogram bucket upper bounds, in milliseconds (Prometheus `le`, exposed in seconds). */
export const BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000] as const;

export type Labels = Record<string, string | number | null | undefined>;

export interface CounterPoint {
  minute: number;
  name: string;
  labels: string;
  value: number;
}

export interface HistogramPoint {
  minute: number;
  name: string;
  labels: string;
  /** Per bucket (not cumulative), plus one overflow slot for values above the last bound. */
  counts: number[];
  sumMs: number;
  count: number;
}

export interface MetricsBatch {
  counters: CounterPoint[];
  histograms: HistogramPoint[];
}

/** Labels as a canonical string: sorted keys, empty values dropped. */
export function labelKey(labels: Labels = {}): string {
  const entries = Object.entries(labels)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [k, String(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

export function bucketIndex(ms: number): number {
  for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]!) return i;
  return BUCKETS_MS.length;
}

/** A quantile from bucket counts (linear inside the bucket, as Prometheus' histogram_quantile does). */
export function quantileMs(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (seen + c >= rank && c > 0) {
      const lower = i === 0 ? 0 : BUCKETS_MS[i - 1]!;
      const upper = i < BUCKETS_MS.length ? BUCKETS_MS[i]! : BUCKETS_MS[BUCKETS_MS.length - 1]!;
      if (i >= BUCKETS_MS.length) return upper;
      return lower + (upper - lower) * ((rank - seen) / c);
    }
    seen += c;
  }
  return BUCKETS_MS[BUCKETS_MS.length - 1]!;
}

const FLUSH_AFTER_MS = 1000;
/** A busy isolate sends early rather than holding a large buffer. */
const FLUSH_AT_KEYS = 500;

/**
 * What the buffer needs of a Worker's or object's env (structural, so this module also loads in plain Node
 * tests): the Analytics Engine dataset where one is bound.
 */
export interface MetricsEnv {
  METRICS_AE?: { writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void };
}

/**
 * Where a flush goes. `store` is the MetricsStore stub (`metricsStore(env)` of src/durable/stubs.ts, the one
 * place that names object ids; this module is a leaf and cannot import it), asked for at each send.
 */
export interface MetricsSink {
  env: MetricsEnv;
  store(): { ingest(batch: MetricsBatch): Promise<unknown> };
  waitUntil(p: Promise<unknown>): void;
}

export class MetricsBuffer {
  private counters = new Map<string, CounterPoint>();
  private histograms = new Map<string, HistogramPoint>();
  private flushing = false;

  constructor(private readonly now: () => number = Date.now) {}

  count(name: string, labels?: Labels, n = 1): void {
    const minute = Math.floor(this.now() / 60_000);
    const lk = labelKey(labels);
    const key = `${minute}|${name}|${lk}`;
    const point = this.counters.get(key);
    if (point) point.value += n;
    else this.counters.set(key, { minute, name, labels: lk, value: n });
  }

  observe(name: string, labels: Labels | undefined, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const minute = Math.floor(this.now() / 60_000);
    const lk = labelKey(labels);
    const key = `${minute}|${name}|${lk}`;
    let point = this.histograms.get(key);
    if (!point) {
      point = { minute, name, labels: lk, counts: new Array<number>(BUCKETS_MS.length + 1).fill(0), sumMs: 0, count: 0 };
      this.histograms.set(key, point);
    }
    point.counts[bucketIndex(ms)]!++;
    point.sumMs += ms;
    point.count++;
  }

  get size(): number {
    return this.counters.size + this.histograms.size;
  }

  /** Everything recorded so far, and an empty buffer. */
  take(): MetricsBatch | null {
    if (this.size === 0) return null;
    const batch = { counters: [...this.counters.values()], histograms: [...this.histograms.values()] };
    this.counters = new Map();
    this.histograms = new Map();
    return batch;
  }

  /** Puts a batch that could not be sent back (merged with what arrived meanwhile). */
  restore(batch: MetricsBatch): void {
    for (const c of batch.counters) {
      const key = `${c.minute}|${c.name}|${c.labels}`;
      const point = this.counters.get(key);
      if (point) point.value += c.value;
      else this.counters.set(key, c);
    }
    for (const h of batch.histograms) {
      const key = `${h.minute}|${h.name}|${h.labels}`;
      const point = this.histograms.get(key);
      if (!point) this.histograms.set(key, h);
      else {
        h.counts.forEach((n, i) => (point.counts[i] = (point.counts[i] ?? 0) + n));
        point.sumMs += h.sumMs;
        point.count += h.count;
      }
    }
  }

  /**
   * Makes sure a background flush is on its way: the first recording after a flush starts a timer (inside
   * waitUntil, so the runtime keeps it) that sends whatever the buffer holds a second later.
   */
  schedule(sink: MetricsSink): void {
    if (this.flushing) return;
    this.flushing = true;
    const delay = this.size >= FLUSH_AT_KEYS ? 0 : FLUSH_AFTER_MS;
    sink.waitUntil(
      new Promise((r) => setTimeout(r, delay))
        .then(() => this.send(sink))
        .catch(() => undefined)
        .finally(() => (this.flushing = false)),
    );
  }

  private async send(sink: MetricsSink): Promise<void> {
    const batch = this.take();
    if (!batch) return;
    writeAnalytics(sink.env, batch);
    try {
      await sink.store().ingest(batch);
    } catch {
      // The store is unreachable for a moment: keep the figures for the next flush (bounded: one minute's worth
      // of keys per label set, dropped past 10 minutes so a long outage cannot grow memory without end).
      const cutoff = Math.floor(Date.now() / 60_000) - 10;
      this.restore({
        counters: batch.counters.filter((c) => c.minute >= cutoff),
        histograms: batch.histograms.filter((h) => h.minute >= cutoff),
      });
    }
  }
}

/** Workers Analytics Engine (production): one data point per series and minute, at most 250 per invocation. */
function writeAnalytics(env: MetricsEnv, batch: MetricsBatch): void {
  const ae = env.METRICS_AE;
  if (!ae) return;
  let n = 0;
  try {
    for (const c of batch.counters) {
      if (n++ >= 240) return;
      ae.writeDataPoint({ indexes: [c.name], blobs: [c.name, c.labels, 'counter'], doubles: [c.value, c.minute * 60] });
    }
    for (const h of batch.histograms) {
      if (n++ >= 240) return;
      ae.writeDataPoint({ indexes: [h.name], blobs: [h.name, h.labels, 'histogram'], doubles: [h.count, h.sumMs, h.minute * 60, ...h.counts] });
    }
  } catch {
    // Analytics Engine is best effort: a failed write never disturbs the product.
  }
}

/** The isolate's buffer (every Worker request and object of this isolate records into it). */
export const metrics = new MetricsBuffer();

/** Records a counter and makes sure it is sent. */
export function countMetric(sink: MetricsSink, name: string, labels?: Labels, n = 1): void {
  metrics.count(name, labels, n);
  metrics.schedule(sink);
}

/** Records a duration (ms) and makes sure it is sent. */
export function observeMetric(sink: MetricsSink, name: string, labels: Labels | undefined, ms: number): void {
  metrics.observe(name, labels, ms);
  metrics.schedule(sink);
}
