// The deployment's metrics and alerts (one object, idFromName('metrics')). Isolates send it their buffered
// figures about once a second (observability/metrics.ts); it keeps per-minute rows for 25 hours (the System
// screen's charts, the alert windows) and cumulative totals that never shrink (Prometheus counters). Its alarm
// runs every ALERT_EVAL_SECONDS: it samples the gauges (flush backlog and lag per shard, Postgres ping),
// evaluates the alert rules (observability/alerts.ts) and delivers their transitions to ALERT_WEBHOOK_URL and to
// the audit log, both from an outbox retried with backoff, so an alert about Postgres is audited once it is back.
import { DurableObject } from 'cloudflare:workers';
import { backoffDelay } from '../alarm-scheduler';
import { allFlushQueues, monitorFor } from '../stubs';
import { ALERT_RULES, alertmanagerBody, fingerprint, initialState, parseShiftHours, signature, silentAreas, step, type AlertInputs, type AlertState } from '../../observability/alerts';
import { log, errorFields } from '../../observability/log';
import { BUCKETS_MS, labelKey, quantileMs, type MetricsBatch } from '../../observability/metrics';
import { exposition, type HistogramSample, type Sample } from '../../observability/prometheus';
import { auditStatement, type AuditMeta } from '../../db/audit';
import { pingDb } from '../../db/health';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';

const KEEP_MINUTES = 25 * 60;
const PING_TIMEOUT_MS = 3000;
const WEBHOOK_TIMEOUT_MS = 10_000;
/** A webhook that keeps failing is given up after this many attempts (about a day at the 30 s backoff cap). */
const MAX_ATTEMPTS = 3000;
const NBUCKETS = BUCKETS_MS.length + 1;

export interface Gauges {
  flushBacklog: number;
  backlogByShard: Record<string, number>;
  flushLagSeconds: number | null;
  lagByShard: Record<string, number | null>;
  oldestUnflushedSeconds: number;
  postgresUp: boolean;
  postgresLatencyMs: number | null;
  postgresError: string | null;
  sampledAt: string;
}

export interface AlertView {
  name: string;
  severity: string;
  summary: string;
  state: AlertState['phase'];
  since: string | null;
  value: number;
  description: string;
}

export interface MinuteRow {
  minute: string;
  scans: number;
  linked: number;
  duplicate: number;
  rejected: number;
  httpRequests: number;
  http5xx: number;
  signInFailures: number;
  ackP50Ms: number | null;
  ackP99Ms: number | null;
  openP50Ms: number | null;
  openP99Ms: number | null;
  flushBacklog: number | null;
  flushLagSeconds: number | null;
  postgresLatencyMs: number | null;
}

export interface SystemView {
  at: string;
  minutes: MinuteRow[];
  gauges: Gauges | null;
  sockets: number;
  perArea: Array<{ areaId: string; scansPerMinute: number; rejectedPerMinute: number }>;
  alerts: AlertView[];
  webhookConfigured: boolean;
  outbox: number;
}

export class MetricsStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private lastGauges: Gauges | null = null;
  private nextEvalAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS counter_minutes (minute INTEGER NOT NULL, name TEXT NOT NULL, labels TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (minute, name, labels))`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS hist_minutes (minute INTEGER NOT NULL, name TEXT NOT NULL, labels TEXT NOT NULL, counts TEXT NOT NULL, sum_ms REAL NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (minute, name, labels))`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS counter_totals (name TEXT NOT NULL, labels TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (name, labels))`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS hist_totals (name TEXT NOT NULL, labels TEXT NOT NULL, counts TEXT NOT NULL, sum_ms REAL NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (name, labels))`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS gauge_minutes (minute INTEGER NOT NULL, name TEXT NOT NULL, value REAL, PRIMARY KEY (minute, name))`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS alerts (name TEXT PRIMARY KEY, state TEXT NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, body TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, last_error TEXT)`);
    void ctx.blockConcurrencyWhile(async () => {
      if ((await ctx.storage.getAlarm()) === null) await ctx.storage.setAlarm(Date.now() + 1000);
    });
  }

  // ------------------------------------------------------------------ ingest

  ingest(batch: MetricsBatch): void {
    for (const c of batch.counters) {
      this.sql.exec(
        `INSERT INTO counter_minutes (minute, name, labels, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (minute, name, labels) DO UPDATE SET value = value + excluded.value`,
        c.minute, c.name, c.labels, c.value,
      );
      this.sql.exec(
        `INSERT INTO counter_totals (name, labels, value) VALUES (?, ?, ?) ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value`,
        c.name, c.labels, c.value,
      );
    }
    for (const h of batch.histograms) {
      this.mergeHist('hist_minutes', 'minute = ? AND name = ? AND labels = ?', [h.minute, h.name, h.labels], h.counts, h.sumMs, h.count, () =>
        this.sql.exec('INSERT INTO hist_minutes (minute, name, labels, counts, sum_ms, count) VALUES (?, ?, ?, ?, ?, ?)', h.minute, h.name, h.labels, JSON.stringify(h.counts), h.sumMs, h.count),
      );
      this.mergeHist('hist_totals', 'name = ? AND labels = ?', [h.name, h.labels], h.counts, h.sumMs, h.count, () =>
        this.sql.exec('INSERT INTO hist_totals (name, labels, counts, sum_ms, count) VALUES (?, ?, ?, ?, ?)', h.name, h.labels, JSON.stringify(h.counts), h.sumMs, h.count),
      );
    }
  }

  private mergeHist(table: string, where: string, keys: SqlStorageValue[], counts: number[], sumMs: number, count: number, insert: () => void): void {
    const row = this.sql.exec<{ counts: string }>(`SELECT counts FROM ${table} WHERE ${where}`, ...keys).toArray()[0];
    if (!row) return void insert();
    const merged = addCounts(JSON.parse(row.counts) as number[], counts);
    this.sql.exec(`UPDATE ${table} SET counts = ?, sum_ms = sum_ms + ?, count = count + ? WHERE ${where}`, JSON.stringify(merged), sumMs, count, ...keys);
  }

  // ------------------------------------------------------------------ reads

  /** The Prometheus text exposition: totals, histograms and the gauges just sampled. */
  async prometheus(build: { revision: string; startedAt: string }): Promise<string> {
    const gauges = await this.sampleGauges();
    const counters = this.sql.exec<{ name: string; labels: string; value: number }>('SELECT name, labels, value FROM counter_totals ORDER BY name, labels').toArray();
    const histograms: HistogramSample[] = this.sql
      .exec<{ name: string; labels: string; counts: string; sum_ms: number; count: number }>('SELECT * FROM hist_totals ORDER BY name, labels')
      .toArray()
      .map((r) => ({ name: r.name, labels: r.labels, counts: JSON.parse(r.counts) as number[], sumMs: r.sum_ms, count: r.count }));
    const g: Sample[] = [];
    const gauge = (name: string, labels: Record<string, string>, value: number | null) => {
      if (value !== null) g.push({ name, labels: labelKey(labels), value });
    };
    for (const [shard, n] of Object.entries(gauges.backlogByShard)) gauge('tracetrack_flush_backlog', { shard }, n);
    for (const [shard, lag] of Object.entries(gauges.lagByShard)) gauge('tracetrack_flush_lag_seconds', { shard }, lag);
    gauge('tracetrack_flush_oldest_unflushed_seconds', {}, gauges.oldestUnflushedSeconds);
    gauge('tracetrack_postgres_up', {}, gauges.postgresUp ? 1 : 0);
    gauge('tracetrack_postgres_latency_seconds', {}, gauges.postgresLatencyMs === null ? null : gauges.postgresLatencyMs / 1000);
    for (const [kind, n] of this.openSockets()) gauge('tracetrack_websocket_connections', { kind }, n);
    for (const a of this.alertStates()) gauge('tracetrack_alerts_firing', { alertname: a.name }, a.phase === 'firing' ? 1 : 0);
    gauge('tracetrack_build_info', { revision: build.revision, started_at: build.startedAt }, 1);
    return exposition(counters, g, histograms);
  }

  /** Live figures and the last 60 minutes for the System screen. */
  async system(minutes = 60): Promise<SystemView> {
    const gauges = this.lastGauges && Date.now() - Date.parse(this.lastGauges.sampledAt) < 15_000 ? this.lastGauges : await this.sampleGauges();
    const now = currentMinute();
    const from = now - minutes + 1;
    const rows = new Map<number, MinuteRow>();
    for (let m = from; m <= now; m++) rows.set(m, emptyMinute(m));
    for (const r of this.sql.exec<{ minute: number; name: string; labels: string; value: number }>(
      'SELECT minute, name, labels, value FROM counter_minutes WHERE minute >= ?', from,
    )) {
      const row = rows.get(r.minute);
      if (!row) continue;
      const labels = JSON.parse(r.labels) as Record<string, string>;
      if (r.name === 'tracetrack_scans_total') {
        row.scans += r.value;
        if (labels.result === 'linked') row.linked += r.value;
        else if (labels.result === 'duplicate') row.duplicate += r.value;
        else if (labels.result === 'rejected') row.rejected += r.value;
      } else if (r.name === 'tracetrack_http_requests_total') {
        row.httpRequests += r.value;
        if (labels.status?.startsWith('5')) row.http5xx += r.value;
      } else if (r.name === 'tracetrack_sign_ins_total' && labels.result === 'failure') row.signInFailures += r.value;
    }
    const hist = new Map<string, number[]>();
    for (const r of this.sql.exec<{ minute: number; name: string; counts: string }>(
      `SELECT minute, name, counts FROM hist_minutes WHERE minute >= ? AND name IN ('tracetrack_scan_ack_seconds', 'tracetrack_parent_open_seconds')`, from,
    )) {
      const key = `${r.minute}|${r.name}`;
      hist.set(key, addCounts(hist.get(key) ?? [], JSON.parse(r.counts) as number[]));
    }
    for (const [m, row] of rows) {
      const ack = hist.get(`${m}|tracetrack_scan_ack_seconds`);
      const open = hist.get(`${m}|tracetrack_parent_open_seconds`);
      if (ack) [row.ackP50Ms, row.ackP99Ms] = [round2(quantileMs(ack, 0.5)), round2(quantileMs(ack, 0.99))];
      if (open) [row.openP50Ms, row.openP99Ms] = [round2(quantileMs(open, 0.5)), round2(quantileMs(open, 0.99))];
    }
    for (const r of this.sql.exec<{ minute: number; name: string; value: number | null }>('SELECT minute, name, value FROM gauge_minutes WHERE minute >= ?', from)) {
      const row = rows.get(r.minute);
      if (!row) continue;
      if (r.name === 'flush_backlog') row.flushBacklog = r.value;
      else if (r.name === 'flush_lag_seconds') row.flushLagSeconds = r.value;
      else if (r.name === 'postgres_latency_ms') row.postgresLatencyMs = r.value;
    }
    // Per-area rates over the last 5 minutes.
    const perArea = this.sql
      .exec<{ area: string | null; scans: number; rejected: number }>(
        `SELECT json_extract(labels, '$.area') AS area, sum(value) AS scans,
           sum(CASE WHEN json_extract(labels, '$.result') = 'rejected' THEN value ELSE 0 END) AS rejected
         FROM counter_minutes WHERE name = 'tracetrack_scans_total' AND minute > ? GROUP BY area ORDER BY area`,
        now - 5,
      )
      .toArray()
      .map((r) => ({ areaId: String(r.area ?? '?'), scansPerMinute: r.scans / 5, rejectedPerMinute: r.rejected / 5 }));
    let sockets = 0;
    for (const [, n] of this.openSockets()) sockets += n;
    const outbox = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox').one().n;
    return {
      at: new Date().toISOString(),
      minutes: [...rows.values()],
      gauges,
      sockets,
      perArea,
      alerts: this.alertViews(),
      webhookConfigured: Boolean(settings(this.env).ALERT_WEBHOOK_URL),
      outbox,
    };
  }

  alertViews(): AlertView[] {
    const states = new Map(this.alertStates().map((a) => [a.name, a]));
    return ALERT_RULES.map((rule) => {
      const st = states.get(rule.name) ?? initialState(rule.name);
      return {
        name: rule.name,
        severity: rule.severity,
        summary: rule.summary,
        state: st.phase,
        since: st.since === null ? null : new Date(st.since).toISOString(),
        value: st.value,
        description: st.description,
      };
    });
  }

  /** Runs an evaluation now (tests, and the cron trigger as a safety net when no alarm is set). */
  async tick(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
  }

  // ------------------------------------------------------------------ the alarm

  override async alarm(): Promise<void> {
    const s = settings(this.env);
    const now = Date.now();
    if (now >= this.nextEvalAt) {
      this.nextEvalAt = now + s.ALERT_EVAL_SECONDS * 1000;
      try {
        await this.evaluate(now);
      } catch (err) {
        log.error('alert evaluation failed', { object: 'MetricsStore', ...errorFields(err) });
      }
      this.prune();
    }
    await this.deliver();
    const nextOutbox = this.sql.exec<{ at: number | null }>('SELECT min(next_at) AS at FROM outbox').one().at;
    const at = Math.max(Date.now() + 200, Math.min(this.nextEvalAt, nextOutbox ?? Infinity));
    await this.ctx.storage.setAlarm(at);
  }

  private async evaluate(now: number): Promise<void> {
    const s = settings(this.env);
    const gauges = await this.sampleGauges();
    const minute = currentMinute();
    const put = (name: string, value: number | null) =>
      this.sql.exec('INSERT OR REPLACE INTO gauge_minutes (minute, name, value) VALUES (?, ?, ?)', minute, name, value);
    put('flush_backlog', gauges.flushBacklog);
    put('flush_lag_seconds', gauges.flushLagSeconds);
    put('postgres_latency_ms', gauges.postgresLatencyMs);
    put('oldest_unflushed_seconds', gauges.oldestUnflushedSeconds);

    const window5xx = s.ALERT_5XX_WINDOW_MINUTES;
    const http = this.sql
      .exec<{ total: number | null; errors: number | null }>(
        `SELECT sum(value) AS total, sum(CASE WHEN json_extract(labels, '$.status') LIKE '5%' THEN value ELSE 0 END) AS errors
         FROM counter_minutes WHERE name = 'tracetrack_http_requests_total' AND minute > ?`,
        minute - window5xx,
      )
      .one();
    const sumOf = (name: string, sinceMinute: number, extra = '') =>
      this.sql.exec<{ v: number | null }>(`SELECT sum(value) AS v FROM counter_minutes WHERE name = ? AND minute > ? ${extra}`, name, sinceMinute).one().v ?? 0;
    const failures5 = sumOf('tracetrack_sign_ins_total', minute - 5, `AND json_extract(labels, '$.result') = 'failure'`);
    const failures24h = sumOf('tracetrack_sign_ins_total', minute - 24 * 60, `AND json_extract(labels, '$.result') = 'failure'`);
    const inputs: AlertInputs = {
      flushBacklog: gauges.flushBacklog,
      oldestUnflushedSeconds: gauges.oldestUnflushedSeconds,
      postgresUp: gauges.postgresUp,
      httpRequests: http.total ?? 0,
      http5xx: http.errors ?? 0,
      signInFailures5m: failures5,
      signInFailuresBaseline5m: (failures24h - failures5) / ((24 * 60 - 5) / 5),
      flushErrors5m: sumOf('tracetrack_flush_failures_total', minute - 5) + sumOf('tracetrack_flush_conflicts_total', minute - 5),
      registryErrors5m: sumOf('tracetrack_registry_errors_total', minute - 5),
      silentAreas: this.silentAreasNow(s, minute, now),
    };
    // The flush failures of a Postgres outage are that alert's business, not a second one.
    if (!gauges.postgresUp) inputs.flushErrors5m = 0;

    const states = new Map(this.alertStates().map((a) => [a.name, a]));
    for (const rule of ALERT_RULES) {
      const prev = states.get(rule.name) ?? initialState(rule.name);
      const { state, transition } = step(rule, prev, inputs, s, now);
      this.sql.exec('INSERT OR REPLACE INTO alerts (name, state) VALUES (?, ?)', rule.name, JSON.stringify(state));
      if (!transition) continue;
      const fp = await fingerprint(rule.name, transition.startsAt);
      const body = alertmanagerBody(transition, { externalUrl: s.PUBLIC_URL ?? '', environment: s.ENVIRONMENT }, fp);
      log[transition.status === 'firing' ? 'error' : 'info'](`alert ${transition.status}`, {
        object: 'MetricsStore',
        alertname: rule.name,
        severity: rule.severity,
        description: transition.description,
        fingerprint: fp,
      });
      if (s.ALERT_WEBHOOK_URL) this.enqueue('webhook', JSON.stringify(body));
      this.enqueue('audit', JSON.stringify({ status: transition.status, name: rule.name, fingerprint: fp, startsAt: transition.startsAt, at: transition.endsAt ?? transition.startsAt, description: transition.description, value: transition.value, severity: rule.severity }));
    }
  }

  /** The area-silent rule's input: each area's last minute with a scan (25 h kept) against the shift hours. */
  private silentAreasNow(s: ReturnType<typeof settings>, minute: number, now: number): string[] {
    if (s.ALERT_AREA_SILENT_MINUTES <= 0) return [];
    const last = new Map<string, number>();
    for (const r of this.sql.exec<{ area: string | null; last: number }>(
      `SELECT json_extract(labels, '$.area') AS area, max(minute) AS last FROM counter_minutes
       WHERE name = 'tracetrack_scans_total' AND minute > ? GROUP BY area`,
      minute - 24 * 60,
    )) {
      if (r.area !== null && r.area !== '') last.set(String(r.area), r.last);
    }
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: s.TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(now));
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    return silentAreas(last, minute, part('hour') * 60 + part('minute'), parseShiftHours(s.ALERT_SHIFT_HOURS), s.ALERT_AREA_SILENT_MINUTES);
  }

  private enqueue(kind: 'webhook' | 'audit', body: string): void {
    this.sql.exec('INSERT INTO outbox (kind, body, next_at) VALUES (?, ?, ?)', kind, body, Date.now());
  }

  /** Sends what is due, in order; a failure backs that row off (0.5 s doubling to 30 s, with jitter). */
  private async deliver(): Promise<void> {
    const due = this.sql.exec<{ id: number; kind: string; body: string; attempts: number }>('SELECT id, kind, body, attempts FROM outbox WHERE next_at <= ? ORDER BY id LIMIT 20', Date.now()).toArray();
    for (const row of due) {
      try {
        if (row.kind === 'webhook') await this.sendWebhook(row.body);
        else await this.writeAudit(row.body);
        this.sql.exec('DELETE FROM outbox WHERE id = ?', row.id);
        if (row.kind === 'webhook') this.countLocal('tracetrack_alert_notifications_total', { status: (JSON.parse(row.body) as { status: string }).status, outcome: 'delivered' });
      } catch (err) {
        const attempts = row.attempts + 1;
        const message = err instanceof Error ? err.message : String(err);
        if (attempts >= MAX_ATTEMPTS) {
          this.sql.exec('DELETE FROM outbox WHERE id = ?', row.id);
          log.error('alert delivery given up', { object: 'MetricsStore', kind: row.kind, attempts, error: message });
          continue;
        }
        const delay = backoffDelay(attempts);
        this.sql.exec('UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?', attempts, Date.now() + delay, message, row.id);
        log.warn('alert delivery failed; retrying', { object: 'MetricsStore', kind: row.kind, attempts, retryInMs: delay, error: message });
        if (row.kind === 'webhook') this.countLocal('tracetrack_alert_notifications_total', { status: (JSON.parse(row.body) as { status: string }).status, outcome: 'failed' });
      }
    }
  }

  private async sendWebhook(body: string): Promise<void> {
    const s = settings(this.env);
    if (!s.ALERT_WEBHOOK_URL) return;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'TraceTrack-Alerts/1' };
    if (s.ALERT_WEBHOOK_SECRET) headers['X-TraceTrack-Signature'] = await signature(s.ALERT_WEBHOOK_SECRET, body);
    const res = await fetch(s.ALERT_WEBHOOK_URL, { method: 'POST', headers, body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  }

  private async writeAudit(body: string): Promise<void> {
    const a = JSON.parse(body) as { status: string; name: string; fingerprint: string; startsAt: number; at: number; description: string; value: number; severity: string };
    const meta: AuditMeta = { actorId: null, actorUsername: 'system:alerts', ip: null, userAgent: null, requestId: null };
    await withDb(settings(this.env), (db) =>
      db.execute(
        auditStatement(meta, {
          action: `alert.${a.status}`,
          entityType: 'alert',
          entityId: a.name,
          after: { severity: a.severity, description: a.description, value: a.value, startsAt: new Date(a.startsAt).toISOString(), fingerprint: a.fingerprint },
          eventId: `alert:${a.fingerprint}:${a.status}`,
          at: new Date(a.at).toISOString(),
        }),
      ),
    );
  }

  /** A counter this object records itself (no buffer round trip). */
  private countLocal(name: string, labels: Record<string, string>): void {
    this.ingest({ counters: [{ minute: currentMinute(), name, labels: labelKey(labels), value: 1 }], histograms: [] });
  }

  private alertStates(): AlertState[] {
    return this.sql.exec<{ state: string }>('SELECT state FROM alerts').toArray().map((r) => JSON.parse(r.state) as AlertState);
  }

  private openSockets(): Array<[string, number]> {
    const rows = this.sql.exec<{ name: string; labels: string; value: number }>(
      `SELECT name, labels, value FROM counter_totals WHERE name IN ('tracetrack_websocket_opened_total', 'tracetrack_websocket_closed_total')`,
    );
    const open = new Map<string, number>();
    for (const r of rows) {
      const kind = (JSON.parse(r.labels) as { kind?: string }).kind ?? 'parent';
      open.set(kind, (open.get(kind) ?? 0) + (r.name === 'tracetrack_websocket_opened_total' ? r.value : -r.value));
    }
    return [...open].map(([k, n]) => [k, Math.max(0, n)]);
  }

  /** Backlog and lag per flush shard, the parents' outboxes that could not reach a queue, and a Postgres ping. */
  async sampleGauges(): Promise<Gauges> {
    const env = this.env;
    // Shards of FLUSH_SHARDS_PREVIOUS are labelled `<shard>/<count>` (the current ones keep their plain number).
    const shards = allFlushQueues(env).map((r) => r.stub.status().then((q) => ({ i: r.draining ? `${r.shard}/${r.count}` : String(r.shard), q })));
    const ping = withDb(settings(env), (db) => pingDb(db), PING_TIMEOUT_MS).then(
      (ms) => ({ ok: true as const, ms }),
      (err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : String(err) }),
    );
    const [queues, parents, db] = await Promise.all([Promise.all(shards), monitorFor(env).status(), ping]);
    const now = Date.now();
    const backlogByShard: Record<string, number> = { parents: parents.flushBacklog };
    const lagByShard: Record<string, number | null> = {};
    let oldest = parents.oldestSince ? Date.parse(parents.oldestSince) : null;
    let lag: number | null = null;
    for (const { i, q } of queues) {
      backlogByShard[i] = q.backlog;
      lagByShard[i] = q.lastLagMs === null ? null : q.lastLagMs / 1000;
      if (q.lastLagMs !== null) lag = Math.max(lag ?? 0, q.lastLagMs / 1000);
      if (q.oldestQueuedAt) oldest = Math.min(oldest ?? Infinity, Date.parse(q.oldestQueuedAt));
    }
    const gauges: Gauges = {
      flushBacklog: Object.values(backlogByShard).reduce((a, b) => a + b, 0),
      backlogByShard,
      flushLagSeconds: lag,
      lagByShard,
      oldestUnflushedSeconds: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000),
      postgresUp: db.ok,
      postgresLatencyMs: db.ok ? db.ms : null,
      postgresError: db.ok ? null : db.error,
      sampledAt: new Date(now).toISOString(),
    };
    if (!db.ok && this.lastGauges?.postgresUp !== false) log.error('postgres unreachable', { object: 'MetricsStore', error: db.error });
    if (db.ok && this.lastGauges?.postgresUp === false) log.info('postgres reachable again', { object: 'MetricsStore', latencyMs: db.ms });
    this.lastGauges = gauges;
    return gauges;
  }

  private prune(): void {
    const cutoff = currentMinute() - KEEP_MINUTES;
    this.sql.exec('DELETE FROM counter_minutes WHERE minute < ?', cutoff);
    this.sql.exec('DELETE FROM hist_minutes WHERE minute < ?', cutoff);
    this.sql.exec('DELETE FROM gauge_minutes WHERE minute < ?', cutoff);
  }
}

function currentMinute(): number {
  return Math.floor(Date.now() / 60_000);
}

function addCounts(a: readonly number[], b: readonly number[]): number[] {
  return Array.from({ length: NBUCKETS }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

function round2(v: number | null): number | null {
  return v === null ? null : Math.round(v * 100) / 100;
}

function emptyMinute(m: number): MinuteRow {
  return {
    minute: new Date(m * 60_000).toISOString(),
    scans: 0, linked: 0, duplicate: 0, rejected: 0, httpRequests: 0, http5xx: 0, signInFailures: 0,
    ackP50Ms: null, ackP99Ms: null, openP50Ms: null, openP99Ms: null, flushBacklog: null, flushLagSeconds: null, postgresLatencyMs: null,
  };
}

