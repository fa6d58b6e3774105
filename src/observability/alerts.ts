// Alert rules and their state machine, as pure functions (the MetricsStore object feeds them figures every
// ALERT_EVAL_SECONDS and delivers what they decide). Hysteresis: a rule must hold for its `for` time before it
// fires, and must be clear for ALERT_RESOLVE_SECONDS before it resolves, so an incident gives exactly one
// `firing` and one `resolved`, however the figure flaps around the threshold meanwhile.

export interface AlertSettings {
  ALERT_FLUSH_BACKLOG: number;
  ALERT_FLUSH_OLDEST_SECONDS: number;
  ALERT_FLUSH_FOR_SECONDS: number;
  ALERT_PG_DOWN_FOR_SECONDS: number;
  ALERT_5XX_RATIO: number;
  ALERT_5XX_WINDOW_MINUTES: number;
  ALERT_5XX_MIN_REQUESTS: number;
  ALERT_SIGNIN_FAILURES: number;
  ALERT_SIGNIN_BASELINE_FACTOR: number;
  ALERT_ERRORS_THRESHOLD: number;
  ALERT_RESOLVE_SECONDS: number;
  /** Area-silent rule: no scan from an area for this many minutes during shift hours; 0 turns it off. */
  ALERT_AREA_SILENT_MINUTES: number;
}

/** What one evaluation looks at. */
export interface AlertInputs {
  flushBacklog: number;
  oldestUnflushedSeconds: number;
  postgresUp: boolean;
  /** Over the last ALERT_5XX_WINDOW_MINUTES. */
  httpRequests: number;
  http5xx: number;
  /** Failed sign-ins in the last 5 minutes, and the average per 5 minutes over the last 24 h. */
  signInFailures5m: number;
  signInFailuresBaseline5m: number;
  /** Flush failures, registry errors and flush conflicts in the last 5 minutes. */
  flushErrors5m: number;
  registryErrors5m: number;
  /** Areas silent during shift hours (see silentAreas); empty outside them or with the rule off. */
  silentAreas: string[];
}

export interface RuleResult {
  active: boolean;
  value: number;
  description: string;
}

export interface AlertRule {
  name: string;
  severity: 'critical' | 'warning';
  summary: string;
  /** What to do (docs/OPERATIONS.md has the long version). */
  runbook: string;
  forSeconds(s: AlertSettings): number;
  check(i: AlertInputs, s: AlertSettings): RuleResult;
}

export const ALERT_RULES: readonly AlertRule[] = [
  {
    name: 'TraceTrackPostgresUnreachable',
    severity: 'critical',
    summary: 'Postgres does not answer',
    runbook: 'Scanning goes on; flushes wait. Check Neon status and DATABASE_URL; the backlog drains by itself once it answers.',
    forSeconds: (s) => s.ALERT_PG_DOWN_FOR_SECONDS,
    check: (i) => ({ active: !i.postgresUp, value: i.postgresUp ? 1 : 0, description: i.postgresUp ? 'Postgres answers' : 'Postgres ping failed' }),
  },
  {
    name: 'TraceTrackFlushBacklog',
    severity: 'critical',
    summary: 'Acknowledged scans are not reaching Postgres',
    runbook: 'See /health/detailed (backlog per shard, last error). Usually Postgres is down or slow; rows are safe in the objects.',
    forSeconds: (s) => s.ALERT_FLUSH_FOR_SECONDS,
    check: (i, s) => ({
      active: i.flushBacklog > s.ALERT_FLUSH_BACKLOG || i.oldestUnflushedSeconds > s.ALERT_FLUSH_OLDEST_SECONDS,
      value: i.flushBacklog,
      description: `backlog ${i.flushBacklog} rows, oldest unflushed ${Math.round(i.oldestUnflushedSeconds)} s`,
    }),
  },
  {
    name: 'TraceTrackHigh5xxRate',
    severity: 'critical',
    summary: 'Server errors above the threshold',
    runbook: 'Find the requests: Workers Logs, level=error, status>=500; each line has a requestId.',
    forSeconds: () => 0,
    check: (i, s) => {
      const ratio = i.httpRequests > 0 ? i.http5xx / i.httpRequests : 0;
      return {
        active: i.httpRequests >= s.ALERT_5XX_MIN_REQUESTS && ratio > s.ALERT_5XX_RATIO,
        value: ratio,
        description: `${i.http5xx} of ${i.httpRequests} responses were 5xx over ${s.ALERT_5XX_WINDOW_MINUTES} min`,
      };
    },
  },
  {
    name: 'TraceTrackSignInFailures',
    severity: 'warning',
    summary: 'Failed sign-ins far above normal (a guessing attack?)',
    runbook: 'The throttle slows guessers by itself. Look at auth.login_failed in the audit log (IPs) and Admin → sign-in throttles.',
    forSeconds: () => 0,
    check: (i, s) => ({
      active: i.signInFailures5m >= s.ALERT_SIGNIN_FAILURES && i.signInFailures5m > s.ALERT_SIGNIN_BASELINE_FACTOR * i.signInFailuresBaseline5m,
      value: i.signInFailures5m,
      description: `${i.signInFailures5m} failed sign-ins in 5 min (normal: ${i.signInFailuresBaseline5m.toFixed(1)})`,
    }),
  },
  {
    name: 'TraceTrackFlushOrRegistryErrors',
    severity: 'warning',
    summary: 'Flush or QR registry errors',
    runbook: 'See /health/detailed (flushLastError, recentConflicts) and the error log lines of the flush queues and registry.',
    forSeconds: () => 0,
    check: (i, s) => ({
      active: i.flushErrors5m + i.registryErrors5m >= s.ALERT_ERRORS_THRESHOLD,
      value: i.flushErrors5m + i.registryErrors5m,
      description: `${i.flushErrors5m} flush and ${i.registryErrors5m} registry errors in 5 min`,
    }),
  },
  {
    name: 'TraceTrackAreaSilent',
    severity: 'warning',
    summary: 'An area has not scanned during its shift hours',
    runbook: 'Call the area: scanners offline (the board shows its open parents), no Wi-Fi, or simply no work? The System screen lists the per-area rates.',
    forSeconds: () => 0,
    check: (i, s) => ({
      active: s.ALERT_AREA_SILENT_MINUTES > 0 && i.silentAreas.length > 0,
      value: i.silentAreas.length,
      description: i.silentAreas.length ? `no scan for ${s.ALERT_AREA_SILENT_MINUTES} min in shift hours from area ${i.silentAreas.join(', ')}` : 'every area that works today is scanning',
    }),
  },
];

/** "08:00-20:00" → minutes of the day [start, end); an end before the start is a shift past midnight. */
export function parseShiftHours(text: string): { start: number; end: number } {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new Error(`shift hours must look like 08:00-20:00, not ${text}`);
  const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
  return { start: h1 * 60 + m1, end: h2 * 60 + m2 };
}

/** Minutes since the shift began (at `minuteOfDay`), or null outside the shift. */
export function minutesIntoShift(minuteOfDay: number, shift: { start: number; end: number }): number | null {
  const len = (shift.end - shift.start + 1440) % 1440 || 1440;
  const into = (minuteOfDay - shift.start + 1440) % 1440;
  return into < len ? into : null;
}

/**
 * Areas that worked in the last 24 hours but have not scanned for `silentMinutes`, while the shift has been
 * on at least that long (no alarm at the shift's start before anyone had time to scan). An area idle for a
 * whole day (a holiday, a closed site) is not "silent": it has nothing to compare with.
 */
export function silentAreas(
  lastScanMinuteByArea: ReadonlyMap<string, number>,
  nowMinute: number,
  minuteOfDay: number,
  shift: { start: number; end: number },
  silentMinutes: number,
): string[] {
  if (silentMinutes <= 0) return [];
  const into = minutesIntoShift(minuteOfDay, shift);
  if (into === null || into < silentMinutes) return [];
  return [...lastScanMinuteByArea]
    .filter(([, last]) => nowMinute - last >= silentMinutes && nowMinute - last < 24 * 60)
    .map(([area]) => area)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export type AlertPhase = 'ok' | 'pending' | 'firing';

export interface AlertState {
  name: string;
  phase: AlertPhase;
  /** Pending: when the condition started. Firing: when it fired (the alert's startsAt). */
  since: number | null;
  /** Firing: since when the condition has been clear (null while it holds). */
  clearSince: number | null;
  value: number;
  description: string;
}

export interface AlertTransition {
  rule: AlertRule;
  status: 'firing' | 'resolved';
  startsAt: number;
  endsAt: number | null;
  value: number;
  description: string;
}

export function initialState(name: string): AlertState {
  return { name, phase: 'ok', since: null, clearSince: null, value: 0, description: '' };
}

/** One evaluation of one rule: the new state and, at most, one transition. */
export function step(rule: AlertRule, prev: AlertState, inputs: AlertInputs, s: AlertSettings, now: number): { state: AlertState; transition?: AlertTransition } {
  const r = rule.check(inputs, s);
  const base = { ...prev, value: r.value, description: r.description };
  const fire = (startsAt: number) => ({
    state: { ...base, phase: 'firing' as const, since: startsAt, clearSince: null },
    transition: { rule, status: 'firing' as const, startsAt, endsAt: null, value: r.value, description: r.description },
  });
  switch (prev.phase) {
    case 'ok':
      if (!r.active) return { state: { ...base, since: null, clearSince: null } };
      if (rule.forSeconds(s) <= 0) return fire(now);
      return { state: { ...base, phase: 'pending', since: now, clearSince: null } };
    case 'pending':
      if (!r.active) return { state: { ...base, phase: 'ok', since: null, clearSince: null } };
      if (now - (prev.since ?? now) >= rule.forSeconds(s) * 1000) return fire(prev.since ?? now);
      return { state: base };
    case 'firing': {
      if (r.active) return { state: { ...base, clearSince: null } };
      const clearSince = prev.clearSince ?? now;
      if (now - clearSince >= s.ALERT_RESOLVE_SECONDS * 1000) {
        return {
          state: { ...base, phase: 'ok', since: null, clearSince: null },
          transition: { rule, status: 'resolved', startsAt: prev.since ?? now, endsAt: now, value: r.value, description: r.description },
        };
      }
      return { state: { ...base, clearSince } };
    }
  }
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface WebhookContext {
  externalUrl: string;
  environment: string;
}

/** Alertmanager's webhook body (version 4) for one transition: receivers that accept Alertmanager accept this. */
export function alertmanagerBody(t: AlertTransition, ctx: WebhookContext, fingerprint: string): Record<string, unknown> {
  const labels = { alertname: t.rule.name, severity: t.rule.severity, service: 'tracetrack', environment: ctx.environment };
  const annotations = { summary: t.rule.summary, description: t.description, runbook: t.rule.runbook, value: String(t.value) };
  return {
    version: '4',
    groupKey: `{}:{alertname="${t.rule.name}"}`,
    truncatedAlerts: 0,
    status: t.status,
    receiver: 'tracetrack-webhook',
    groupLabels: { alertname: t.rule.name },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: ctx.externalUrl,
    alerts: [
      {
        status: t.status,
        labels,
        annotations,
        startsAt: new Date(t.startsAt).toISOString(),
        endsAt: t.endsAt === null ? ZERO_TIME : new Date(t.endsAt).toISOString(),
        generatorURL: `${ctx.externalUrl}/system`,
        fingerprint,
      },
    ],
  };
}

async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `X-TraceTrack-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>`. */
export async function signature(secret: string, body: string): Promise<string> {
  return `sha256=${await hmacHex(secret, body)}`;
}

/** A stable id per rule and incident (Alertmanager fingerprints are 16 hex digits). */
export async function fingerprint(name: string, startsAt: number): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${name}|${startsAt}`));
  return [...new Uint8Array(digest)]
    .slice(0, 8)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}
