// Issue 14: the pure parts of logs, metrics and alerts.
import { createHmac } from 'node:crypto';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { readableLine } from '../../../scripts/lib/log-format';
import { ALERT_RULES, alertmanagerBody, fingerprint, initialState, minutesIntoShift, parseShiftHours, signature, silentAreas, step, type AlertInputs, type AlertSettings, type AlertState } from '../../../src/observability/alerts';
import { formatLine } from '../../../src/observability/log';
import { BUCKETS_MS, MetricsBuffer, quantileMs } from '../../../src/observability/metrics';
import { exposition } from '../../../src/observability/prometheus';

const SETTINGS: AlertSettings = {
  ALERT_FLUSH_BACKLOG: 5000,
  ALERT_FLUSH_OLDEST_SECONDS: 60,
  ALERT_FLUSH_FOR_SECONDS: 120,
  ALERT_PG_DOWN_FOR_SECONDS: 60,
  ALERT_5XX_RATIO: 0.01,
  ALERT_5XX_WINDOW_MINUTES: 5,
  ALERT_5XX_MIN_REQUESTS: 20,
  ALERT_SIGNIN_FAILURES: 100,
  ALERT_SIGNIN_BASELINE_FACTOR: 10,
  ALERT_ERRORS_THRESHOLD: 20,
  ALERT_RESOLVE_SECONDS: 60,
  ALERT_AREA_SILENT_MINUTES: 30,
};
const HEALTHY: AlertInputs = {
  flushBacklog: 0,
  oldestUnflushedSeconds: 0,
  postgresUp: true,
  httpRequests: 1000,
  http5xx: 0,
  signInFailures5m: 2,
  signInFailuresBaseline5m: 1,
  flushErrors5m: 0,
  registryErrors5m: 0,
  silentAreas: [],
};
const rule = (name: string) => ALERT_RULES.find((r) => r.name === name)!;

describe('alert hysteresis', () => {
  it('Postgres down: pending, firing once after 60 s, stays firing while it flaps, resolves once after 60 s clear', () => {
    const pg = rule('TraceTrackPostgresUnreachable');
    let state: AlertState = initialState(pg.name);
    const transitions: string[] = [];
    const down = { ...HEALTHY, postgresUp: false };
    // Evaluated every 10 s: down 0–100 s, up at 110 s, down again at 120 s (a flap), up from 130 s on.
    const timeline = (t: number) => (t <= 100 || t === 120 ? down : HEALTHY);
    for (let t = 0; t <= 300; t += 10) {
      const r = step(pg, state, timeline(t), SETTINGS, t * 1000);
      state = r.state;
      if (r.transition) transitions.push(`${t}:${r.transition.status}`);
    }
    expect(transitions).toEqual(['60:firing', '190:resolved']);
  });

  it('a condition shorter than its `for` never fires', () => {
    const backlog = rule('TraceTrackFlushBacklog');
    let state = initialState(backlog.name);
    for (let t = 0; t <= 100; t += 10) {
      const r = step(backlog, state, { ...HEALTHY, flushBacklog: 10_000 }, SETTINGS, t * 1000);
      expect(r.transition).toBeUndefined();
      state = r.state;
    }
    expect(step(backlog, state, HEALTHY, SETTINGS, 110_000).state.phase).toBe('ok');
  });

  it('5xx rate, sign-in failures against the normal, flush/registry errors', () => {
    const fires = (name: string, inputs: Partial<AlertInputs>) => step(rule(name), initialState(name), { ...HEALTHY, ...inputs }, SETTINGS, 0).transition?.status;
    expect(fires('TraceTrackHigh5xxRate', { httpRequests: 1000, http5xx: 11 })).toBe('firing');
    expect(fires('TraceTrackHigh5xxRate', { httpRequests: 1000, http5xx: 10 })).toBeUndefined();
    expect(fires('TraceTrackHigh5xxRate', { httpRequests: 10, http5xx: 10 })).toBeUndefined(); // too few requests
    expect(fires('TraceTrackSignInFailures', { signInFailures5m: 150, signInFailuresBaseline5m: 2 })).toBe('firing');
    expect(fires('TraceTrackSignInFailures', { signInFailures5m: 150, signInFailuresBaseline5m: 20 })).toBeUndefined(); // normal here
    expect(fires('TraceTrackFlushOrRegistryErrors', { flushErrors5m: 15, registryErrors5m: 5 })).toBe('firing');
  });
});

describe('area silent during shift hours', () => {
  const day = parseShiftHours('08:00-20:00');
  const night = parseShiftHours('22:00-06:00');
  it('reads shift hours, also past midnight', () => {
    expect(day).toEqual({ start: 480, end: 1200 });
    expect(minutesIntoShift(7 * 60 + 59, day)).toBeNull();
    expect(minutesIntoShift(9 * 60, day)).toBe(60);
    expect(minutesIntoShift(20 * 60, day)).toBeNull();
    expect(minutesIntoShift(1 * 60, night)).toBe(180);
    expect(minutesIntoShift(12 * 60, night)).toBeNull();
    expect(() => parseShiftHours('8-20')).toThrow(/08:00-20:00/);
  });

  it('names areas that worked today but not for 30 min, only once the shift has run 30 min, never an area idle all day', () => {
    const now = 1_000_000;
    const last = new Map([['1', now - 5], ['2', now - 45], ['10', now - 31], ['3', now - 24 * 60]]);
    expect(silentAreas(last, now, 12 * 60, day, 30)).toEqual(['2', '10']);
    // 08:20: the shift began 20 min ago, nobody is late yet; 21:00: the shift is over; 0: the rule is off.
    expect(silentAreas(last, now, 8 * 60 + 20, day, 30)).toEqual([]);
    expect(silentAreas(last, now, 21 * 60, day, 30)).toEqual([]);
    expect(silentAreas(last, now, 12 * 60, day, 0)).toEqual([]);
  });

  it('fires once for silent areas and resolves once they scan again', () => {
    const r = rule('TraceTrackAreaSilent');
    const fired = step(r, initialState(r.name), { ...HEALTHY, silentAreas: ['2'] }, SETTINGS, 0);
    expect(fired.transition).toMatchObject({ status: 'firing', description: expect.stringContaining('area 2') });
    expect(step(r, fired.state, { ...HEALTHY, silentAreas: ['2'] }, SETTINGS, 10_000).transition).toBeUndefined();
    expect(step(r, fired.state, HEALTHY, SETTINGS, 20_000).transition).toBeUndefined();
    const cleared = step(r, step(r, fired.state, HEALTHY, SETTINGS, 20_000).state, HEALTHY, SETTINGS, 80_000);
    expect(cleared.transition?.status).toBe('resolved');
    expect(step(r, initialState(r.name), { ...HEALTHY, silentAreas: ['2'] }, { ...SETTINGS, ALERT_AREA_SILENT_MINUTES: 0 }, 0).transition).toBeUndefined();
  });
});

describe('the webhook', () => {
  it('is an Alertmanager version 4 body, signed with a hex HMAC-SHA256 of the exact bytes', async () => {
    const pg = rule('TraceTrackPostgresUnreachable');
    const fp = await fingerprint(pg.name, 1_700_000_000_000);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    const body = alertmanagerBody({ rule: pg, status: 'firing', startsAt: 1_700_000_000_000, endsAt: null, value: 0, description: 'x' }, { externalUrl: 'https://tt.example', environment: 'test' }, fp);
    expect(body).toMatchObject({ version: '4', status: 'firing', receiver: expect.any(String), groupLabels: { alertname: pg.name }, truncatedAlerts: 0 });
    const alert = (body.alerts as Array<Record<string, unknown>>)[0]!;
    expect(alert).toMatchObject({ status: 'firing', labels: { alertname: pg.name, severity: 'critical' }, startsAt: '2023-11-14T22:13:20.000Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: fp });
    const text = JSON.stringify(body);
    const expected = createHmac('sha256', 'a-secret-of-sixteen+').update(text).digest('hex');
    expect(await signature('a-secret-of-sixteen+', text)).toBe(`sha256=${expected}`);
  });
});

describe('log lines', () => {
  it('are one JSON object with time, level and msg; secret-looking fields are replaced at any depth', () => {
    const line = formatLine('info', 'request', {
      requestId: 'r1',
      password: 'hunter2-hunter2',
      body: { newPassword: 'x-secret-1', otp: '123456', nested: { token: 'tok-abc', authorization: 'Bearer z' } },
      cookie: 'c=1',
      code: '654321',
      errorCode: 'CONFLICT',
    });
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('x-secret-1');
    expect(line).not.toContain('123456');
    expect(line).not.toContain('654321');
    expect(line).not.toContain('tok-abc');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 'info', msg: 'request', requestId: 'r1', errorCode: 'CONFLICT', password: '[redacted]' });
    expect(Date.parse(parsed.time as string)).not.toBeNaN();
  });

  it('npm start shows them readably; other lines pass through', () => {
    const line = formatLine('info', 'request', { requestId: 'abc', method: 'POST', route: '/api/parents/:qr/open', path: '/api/parents/SB00001/open', status: 200, durationMs: 3.5, userId: 4, areaId: 1 });
    expect(readableLine(line)).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}POST \/api\/parents\/:qr\/open → 200 3\.5 ms {2}req=abc user=4 area=1 path=\/api\/parents\/SB00001\/open$/);
    expect(readableLine('[wrangler:info] Ready on http://localhost:8787')).toBeNull();
  });
});

describe('metrics', () => {
  it('buffer per minute and label set; quantiles from buckets', () => {
    let now = 60_000 * 100;
    const buffer = new MetricsBuffer(() => now);
    buffer.count('tracetrack_scans_total', { result: 'linked', area: 1 });
    buffer.count('tracetrack_scans_total', { area: 1, result: 'linked' });
    now += 60_000;
    buffer.count('tracetrack_scans_total', { result: 'linked', area: 1 });
    for (let i = 0; i < 100; i++) buffer.observe('tracetrack_scan_ack_seconds', undefined, i < 98 ? 1.5 : 40);
    const batch = buffer.take()!;
    expect(batch.counters).toEqual([
      { minute: 100, name: 'tracetrack_scans_total', labels: '{"area":"1","result":"linked"}', value: 2 },
      { minute: 101, name: 'tracetrack_scans_total', labels: '{"area":"1","result":"linked"}', value: 1 },
    ]);
    const counts = batch.histograms[0]!.counts;
    expect(counts).toHaveLength(BUCKETS_MS.length + 1);
    expect(quantileMs(counts, 0.5)).toBeGreaterThan(1);
    expect(quantileMs(counts, 0.5)).toBeLessThanOrEqual(2);
    expect(quantileMs(counts, 0.99)).toBeGreaterThan(25);
    expect(buffer.take()).toBeNull();
  });

  it('exposition parses as the Prometheus text format, histograms cumulative with +Inf = count', () => {
    const text = exposition(
      [{ name: 'tracetrack_scans_total', labels: '{"area":"1","result":"linked"}', value: 5 }, { name: 'tracetrack_http_requests_total', labels: '{"route":"/api/x/:id","status":"200","method":"GET"}', value: 2 }],
      [{ name: 'tracetrack_flush_backlog', labels: '{"shard":"0"}', value: 0 }, { name: 'tracetrack_build_info', labels: '{"revision":"a\\"b"}', value: 1 }],
      [{ name: 'tracetrack_scan_ack_seconds', labels: '{"via":"ws"}', counts: [1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], sumMs: 40, count: 4 }],
    );
    const families = parsePrometheusTextFormat(text);
    const ack = families.find((f) => f.name === 'tracetrack_scan_ack_seconds')!;
    expect(ack.type).toBe('HISTOGRAM');
    const m = ack.metrics[0] as { buckets: Record<string, string> };
    expect(m.buckets['0.001']).toBe('1');
    expect(m.buckets['0.002']).toBe('3');
    expect(m.buckets['30']).toBe('3');
    // (parse-prometheus-text-format 1.1.1 drops _sum/_count of labelled histograms; the lines are checked as text.)
    expect(text).toContain('tracetrack_scan_ack_seconds_count{via="ws"} 4');
    expect(text).toContain('tracetrack_scan_ack_seconds_sum{via="ws"} 0.04');
    expect(text).toContain('tracetrack_scan_ack_seconds_bucket{via="ws",le="+Inf"} 4');
    expect(families.find((f) => f.name === 'tracetrack_scans_total')!.type).toBe('COUNTER');
    expect(text).toContain('revision="a\\"b"');
  });
});
