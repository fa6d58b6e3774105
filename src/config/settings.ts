// Settings and secrets from the environment, validated once per isolate with zod. A deployment
// that forgets a secret fails loudly on its first request instead of running half-configured.
// Runtime-neutral (takes any env-shaped object), so Node scripts and tests can read the same rules.
import { z } from 'zod';
import { log } from '../observability/log';

const intFromString = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const settingsSchema = z.object({
  ENVIRONMENT: z.enum(['production', 'development', 'test']).default('production'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL'),
  NEON_HTTP_ENDPOINT: z.string().url().optional(),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters'),
  REGISTRY_SHARDS: intFromString(1, 4096).default(128),
  PARENT_CAPACITY: intFromString(1, 1000).default(30),
  UNDO_WINDOW_SECONDS: intFromString(0, 7 * 24 * 3600).default(3600),
  /** Absolute session lifetime from sign-in (a warehouse shift plus margin). */
  SESSION_TTL_SECONDS: intFromString(60, 7 * 24 * 3600).default(43200),
  /** A session with no request for this long ends; each request slides it (see auth/session-refresh.ts). */
  SESSION_IDLE_SECONDS: intFromString(60, 7 * 24 * 3600).default(1800),
  /** Days audit rows keep IP, user agent and e-mail-like usernames before they are anonymised. */
  AUDIT_RETENTION_DAYS: intFromString(1, 36500).default(365),
  /** Extra origins (comma-separated, e.g. https://ops.example.com) allowed to send state-changing requests and CORS. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** How long a parent gathers scans before handing them to its flush queue. */
  PARENT_FLUSH_DELAY_MS: intFromString(0, 60_000).default(100),
  /** How long a flush queue gathers rows from many parents before writing them to Postgres. */
  FLUSH_DELAY_MS: intFromString(0, 60_000).default(250),
  FLUSH_SHARDS: intFromString(1, 1024).default(8),
  /**
   * A parent pushes its summary to its area's live board at most once per this many ms (issue 15 point 4): the
   * first change after a quiet interval goes at once, later ones coalesce into one push at the interval's end.
   */
  BOARD_PUSH_INTERVAL_MS: intFromString(0, 10_000).default(100),
  /**
   * A live board broadcasts to its watchers at most once per this many ms: a change on a quiet board goes out
   * at once, changes inside the window after a broadcast go out together at its end (one `sessions` frame).
   * Off (0) by default: on a board of 100 scanners a 25 ms window measured fan-out p99 81 ms against 22 ms
   * without it (PRODUCT.md's budget: 50 ms; docs/BENCHMARKS.md, 2026-12-04 20:10), because busy boards hold
   * most changes for a window and timers fire late on a busy thread. Turn it on (25) where a board's frames
   * are the limit: from about 1,000 scanners per area board (docs/ARCHITECTURE.md "Capacity").
   */
  BOARD_BROADCAST_MS: intFromString(0, 10_000).default(0),
  /**
   * Flush shard counts used before FLUSH_SHARDS, comma-separated (e.g. "8" after raising 8 to 32): their
   * queues still hold rows queued under that count. They keep draining, /health/detailed and the alert
   * gauges watch them, and the new count's queues wait for them briefly (docs/OPERATIONS.md "Changing
   * FLUSH_SHARDS"). Remove a count once its shards' backlog is 0.
   */
  FLUSH_SHARDS_PREVIOUS: z
    .string()
    .regex(/^\s*(\d+\s*(,\s*\d+\s*)*)?$/, 'FLUSH_SHARDS_PREVIOUS must be a comma-separated list of shard counts, e.g. 8 or 8,16')
    .default('')
    .transform((v) => v.split(',').map((n) => n.trim()).filter((n) => n !== '').map(Number))
    .pipe(z.array(z.number().int().min(1, 'a shard count is at least 1').max(1024, 'a shard count is at most 1024')).max(8, 'at most 8 previous counts')),
  TIME_ZONE: z.string().default('Asia/Kolkata'),
  /**
   * Sign-in attempts (any outcome) per minute from one client network (an IPv4 address, an IPv6 /64): caps
   * the password-hashing work one network can cause. High enough for a warehouse signing in behind one NAT.
   */
  LOGIN_ATTEMPTS_PER_MINUTE: intFromString(1, 100_000).default(60),
  /** Failed sign-ins per (username, client network) before each further one makes that pair wait. */
  LOGIN_FREE_FAILURES: intFromString(1, 1000).default(5),
  /** Failed sign-ins per client network (all usernames together) before each further one makes it wait. */
  LOGIN_NETWORK_FREE_FAILURES: intFromString(1, 100_000).default(50),
  /** The wait after the first failure past the free ones; it doubles with each further failure … */
  LOGIN_DELAY_BASE_SECONDS: intFromString(1, 3600).default(1),
  /** … up to this. */
  LOGIN_DELAY_MAX_SECONDS: intFromString(1, 24 * 3600).default(900),
  /** Failures are forgotten after this long without a new one (per key). */
  LOGIN_FAILURE_MEMORY_SECONDS: intFromString(60, 7 * 24 * 3600).default(3600),
  /** PgReader objects that hold the read side's Postgres connections (postgres.js driver only). */
  READ_SHARDS: intFromString(1, 64).default(4),
  /** Reads over TCP go through PgReader objects (kept connections); 'false' opens one per request instead. */
  READ_VIA_OBJECT: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Profiling: a `Server-Timing` header (app, auth, reader, pg, board ms) on every answer (observability/stage-timing.ts). */
  SERVER_TIMING: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** How stale an isolate's copy of the revocation list may be: sign-out takes effect within this. */
  REVOCATION_REFRESH_SECONDS: intFromString(1, 60).default(30),
  /**
   * How often an object with open WebSockets checks their sessions (sign-out, deactivation, role or area
   * change, expiry, idle) and closes the ended ones, reading a revocation list at most this old: an ended
   * session loses its sockets within about twice this, well inside PRODUCT.md's 60 s.
   */
  SOCKET_SWEEP_SECONDS: intFromString(1, 30).default(15),
  /** Messages one WebSocket may send per second, sustained (a fast scanner sends 1–3) … */
  SOCKET_MESSAGES_PER_SECOND: intFromString(1, 10_000).default(50),
  /** … and in one burst; past the burst, messages are refused (error frame), and a socket that keeps on is closed (4008). */
  SOCKET_MESSAGE_BURST: intFromString(1, 100_000).default(200),
  /** WebSockets one object (a parent, a bill, a board) holds at once; the next is closed with 4009. */
  SOCKETS_PER_OBJECT: intFromString(1, 32_768).default(200),
  /** Open parents with no child bag one user may have created; opening another new label is refused. */
  EMPTY_PARENTS_PER_USER: intFromString(1, 100_000).default(200),
  /** Stored answers per scanId are kept this long (longer than any client retries a scan) … */
  SCAN_ANSWER_KEEP_HOURS: intFromString(1, 24 * 30).default(24),
  /** … and at most this many per object (the oldest go first). */
  SCAN_ANSWERS_KEPT: intFromString(10, 1_000_000).default(5000),
  // ---- operations (docs/OPERATIONS.md)
  /** Bearer token a Prometheus scraper sends to GET /metrics (a secret); admins can read it with their session. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** Where alerts go (Alertmanager webhook body, version 4); none: alerts are only shown and audited. */
  ALERT_WEBHOOK_URL: z.string().url('ALERT_WEBHOOK_URL must be a URL').optional(),
  /** Key of the X-TraceTrack-Signature HMAC over each webhook body (a secret). */
  ALERT_WEBHOOK_SECRET: z.string().min(16, 'ALERT_WEBHOOK_SECRET must be at least 16 characters').optional(),
  /** How often the MetricsStore samples gauges and evaluates the alert rules. */
  ALERT_EVAL_SECONDS: intFromString(1, 300).default(60),
  /** Flush backlog rule: more rows than this, or an unflushed row older than that, for ALERT_FLUSH_FOR_SECONDS. */
  ALERT_FLUSH_BACKLOG: intFromString(1, 100_000_000).default(5000),
  ALERT_FLUSH_OLDEST_SECONDS: intFromString(1, 86_400).default(60),
  ALERT_FLUSH_FOR_SECONDS: intFromString(0, 86_400).default(120),
  /** Postgres rule: pings failing for this long. */
  ALERT_PG_DOWN_FOR_SECONDS: intFromString(0, 86_400).default(60),
  /** 5xx rule: share of 5xx responses above this over the window, with at least that many requests. */
  ALERT_5XX_RATIO: z.coerce.number().min(0).max(1).default(0.01),
  ALERT_5XX_WINDOW_MINUTES: intFromString(1, 60).default(5),
  ALERT_5XX_MIN_REQUESTS: intFromString(1, 1_000_000).default(20),
  /** Sign-in rule: at least this many failures in 5 minutes and more than FACTOR × the 24-hour normal. */
  ALERT_SIGNIN_FAILURES: intFromString(1, 1_000_000).default(100),
  ALERT_SIGNIN_BASELINE_FACTOR: z.coerce.number().min(1).max(1000).default(10),
  /** Flush/registry errors rule: this many errors in 5 minutes. */
  ALERT_ERRORS_THRESHOLD: intFromString(1, 1_000_000).default(20),
  /** A firing alert resolves once its condition has been clear this long (hysteresis). */
  ALERT_RESOLVE_SECONDS: intFromString(0, 86_400).default(60),
  /** Area-silent rule: an area that worked in the last 24 h has not scanned for this many minutes in shift hours (0: off). */
  ALERT_AREA_SILENT_MINUTES: intFromString(0, 1440).default(0),
  /** The shift hours of the areas in TIME_ZONE, "HH:MM-HH:MM" (past midnight allowed, e.g. 22:00-06:00). */
  ALERT_SHIFT_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'ALERT_SHIFT_HOURS must look like 08:00-20:00')
    .default('08:00-20:00'),
  /** The deployment's public URL (alert links); optional. */
  PUBLIC_URL: z.string().url().optional(),
  /** The build's git revision (npm start and npm run deploy pass it); shown by /health/detailed. */
  GIT_REVISION: z.string().max(64).default('unknown'),
}).superRefine((s, ctx) => {
  const previous = s.FLUSH_SHARDS_PREVIOUS;
  if (previous.includes(s.FLUSH_SHARDS)) {
    ctx.addIssue({ code: 'custom', path: ['FLUSH_SHARDS_PREVIOUS'], message: `must not list the current FLUSH_SHARDS (${s.FLUSH_SHARDS})` });
  }
  if (new Set(previous).size !== previous.length) ctx.addIssue({ code: 'custom', path: ['FLUSH_SHARDS_PREVIOUS'], message: 'lists a count twice' });
});

export type Settings = z.infer<typeof settingsSchema>;

/** Settings that no longer do anything; a deployment still setting them is told so once per isolate. */
const REMOVED_SETTINGS: Record<string, string> = {
  LOCKOUT_AFTER_FAILURES: 'the account lock-out is gone: sign-in is throttled per username and client network (LOGIN_FREE_FAILURES, LOGIN_DELAY_*)',
  LOCKOUT_MINUTES: 'the account lock-out is gone: see LOGIN_DELAY_BASE_SECONDS / LOGIN_DELAY_MAX_SECONDS',
};

const cache = new WeakMap<object, Settings>();

export class SettingsError extends Error {}

export function settings(env: object): Settings {
  let s = cache.get(env);
  if (!s) {
    const parsed = settingsSchema.safeParse(env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new SettingsError(`Invalid configuration: ${problems}`);
    }
    s = parsed.data;
    cache.set(env, s);
    for (const [name, why] of Object.entries(REMOVED_SETTINGS)) {
      if ((env as unknown as Record<string, unknown>)[name] !== undefined) log.warn(`${name} is set but no longer used: ${why}.`, { setting: name });
    }
  }
  return s;
}
