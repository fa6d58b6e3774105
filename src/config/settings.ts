// Settings and secrets from the environment, validated once per isolate with zod. A deployment
// that forgets a secret fails loudly on its first request instead of running half-configured.
// Runtime-neutral (takes any env-shaped object), so Node scripts and tests can read the same rules.
import { z } from 'zod';

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
  /** How stale an isolate's copy of the revocation list may be: sign-out takes effect within this. */
  REVOCATION_REFRESH_SECONDS: intFromString(1, 60).default(30),
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
      if ((env as unknown as Record<string, unknown>)[name] !== undefined) console.warn(`${name} is set but no longer used: ${why}.`);
    }
  }
  return s;
}
