// Settings and secrets from the environment, validated once per isolate with zod. A deployment
// that forgets a secret fails loudly on its first request instead of running half-configured.
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
  /** Sign-in attempts allowed per minute, per client IP and per username. */
  LOGIN_ATTEMPTS_PER_MINUTE: intFromString(1, 100_000).default(10),
  /** Consecutive wrong passwords before an account locks, and for how long. */
  LOCKOUT_AFTER_FAILURES: intFromString(1, 1000).default(5),
  LOCKOUT_MINUTES: intFromString(1, 24 * 60).default(15),
  /** PgReader objects that hold the read side's Postgres connections (postgres.js driver only). */
  READ_SHARDS: intFromString(1, 64).default(4),
  /** Reads over TCP go through PgReader objects (kept connections); 'false' opens one per request instead. */
  READ_VIA_OBJECT: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** How stale an isolate's copy of the revocation list may be: sign-out takes effect within this. */
  REVOCATION_REFRESH_SECONDS: intFromString(1, 60).default(30),
});

export type Settings = z.infer<typeof settingsSchema>;

const cache = new WeakMap<object, Settings>();

export class SettingsError extends Error {}

export function settings(env: Env): Settings {
  let s = cache.get(env);
  if (!s) {
    const parsed = settingsSchema.safeParse(env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new SettingsError(`Invalid configuration: ${problems}`);
    }
    s = parsed.data;
    cache.set(env, s);
  }
  return s;
}
