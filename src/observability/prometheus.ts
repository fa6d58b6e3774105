// The Prometheus text exposition format (version 0.0.4) for GET /metrics: one # HELP and # TYPE per family,
// counters as cumulative totals since the MetricsStore began, histograms as cumulative `_bucket{le}` in
// seconds plus `_sum` and `_count`, gauges sampled when scraped.
import { BUCKETS_MS } from './metrics';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export const METRIC_HELP: Record<string, { type: MetricType; help: string }> = {
  tracetrack_http_requests_total: { type: 'counter', help: 'HTTP responses by route pattern, method and status code.' },
  tracetrack_http_request_duration_seconds: { type: 'histogram', help: 'HTTP request duration in the Worker, by route pattern.' },
  tracetrack_scans_total: { type: 'counter', help: 'Child scans answered by parent objects, by result and dispatch area.' },
  tracetrack_scan_rejections_total: { type: 'counter', help: 'Rejected child scans by error code and dispatch area.' },
  tracetrack_scan_ack_seconds: { type: 'histogram', help: 'Server-side child scan ack time inside the parent object (message in to ack out).' },
  tracetrack_parent_open_seconds: { type: 'histogram', help: 'Time to open a parent inside its object (new or existing).' },
  tracetrack_websocket_opened_total: { type: 'counter', help: 'WebSocket connections accepted, by kind.' },
  tracetrack_websocket_closed_total: { type: 'counter', help: 'WebSocket connections closed, by kind.' },
  tracetrack_websocket_connections: { type: 'gauge', help: 'Open WebSocket connections (accepted minus closed).' },
  tracetrack_flush_batches_total: { type: 'counter', help: 'Batches written to Postgres by the flush queues.' },
  tracetrack_flush_rows_total: { type: 'counter', help: 'Rows written to Postgres by the flush queues.' },
  tracetrack_flush_failures_total: { type: 'counter', help: 'Failed flush attempts (retried with backoff).' },
  tracetrack_flush_conflicts_total: { type: 'counter', help: 'Changes Postgres refused at flush (recorded in flush_conflicts).' },
  tracetrack_flush_row_lag_seconds: { type: 'histogram', help: 'Time from a row entering a flush queue to its batch committing in Postgres (oldest row per batch).' },
  tracetrack_flush_backlog: { type: 'gauge', help: 'Rows acknowledged but not yet in Postgres, per flush shard (shard="parents": outboxes that could not reach a queue).' },
  tracetrack_flush_lag_seconds: { type: 'gauge', help: 'Lag of the latest flush per shard: queue entry of its oldest row to commit.' },
  tracetrack_flush_oldest_unflushed_seconds: { type: 'gauge', help: 'Age of the oldest row not yet in Postgres.' },
  tracetrack_postgres_query_seconds: { type: 'histogram', help: 'Postgres round trips by operation.' },
  tracetrack_postgres_errors_total: { type: 'counter', help: 'Postgres errors by operation.' },
  tracetrack_postgres_up: { type: 'gauge', help: '1 when Postgres answered the last ping.' },
  tracetrack_postgres_latency_seconds: { type: 'gauge', help: 'Latency of the last Postgres ping.' },
  tracetrack_sign_ins_total: { type: 'counter', help: 'Sign-in attempts by result (success, failure, throttled).' },
  tracetrack_registry_errors_total: { type: 'counter', help: 'QR registry calls that failed.' },
  tracetrack_alerts_firing: { type: 'gauge', help: '1 while the alert is firing.' },
  tracetrack_alert_notifications_total: { type: 'counter', help: 'Alert webhook deliveries by status and outcome.' },
  tracetrack_build_info: { type: 'gauge', help: 'Build revision and isolate start time (value 1).' },
};

export interface Sample {
  name: string;
  /** labelKey() string, i.e. canonical JSON of the labels. */
  labels: string;
  value: number;
}

export interface HistogramSample {
  name: string;
  labels: string;
  counts: number[];
  sumMs: number;
  count: number;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels)
    .filter(([k]) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k))
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(Math.round(v * 1e6) / 1e6);
}

export function exposition(counters: Sample[], gauges: Sample[], histograms: HistogramSample[]): string {
  const families = new Map<string, string[]>();
  const add = (name: string, line: string) => {
    const lines = families.get(name) ?? [];
    lines.push(line);
    families.set(name, lines);
  };
  for (const s of [...counters, ...gauges]) add(s.name, `${s.name}${labelText(JSON.parse(s.labels) as Record<string, string>)} ${num(s.value)}`);
  for (const h of histograms) {
    const labels = JSON.parse(h.labels) as Record<string, string>;
    let cumulative = 0;
    BUCKETS_MS.forEach((le, i) => {
      cumulative += h.counts[i] ?? 0;
      add(h.name, `${h.name}_bucket${labelText({ ...labels, le: num(le / 1000) })} ${cumulative}`);
    });
    add(h.name, `${h.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${h.count}`);
    add(h.name, `${h.name}_sum${labelText(labels)} ${num(h.sumMs / 1000)}`);
    add(h.name, `${h.name}_count${labelText(labels)} ${h.count}`);
  }
  const out: string[] = [];
  // Every known family is announced, so a scrape shows the full set even before anything happened.
  const names = [...new Set([...Object.keys(METRIC_HELP), ...families.keys()])].sort();
  for (const name of names) {
    const meta = METRIC_HELP[name];
    if (!meta) continue; // unknown names are never exposed
    out.push(`# HELP ${name} ${meta.help}`);
    out.push(`# TYPE ${name} ${meta.type}`);
    for (const line of families.get(name) ?? []) out.push(line);
  }
  return `${out.join('\n')}\n`;
}
