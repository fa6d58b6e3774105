import { env, SELF } from 'cloudflare:test';
import { issueToken } from '../../src/worker/auth/token';
import type { Role } from '../../src/shared/types';
import { rows, sql } from './db';

export const BASE = 'http://localhost';
export const DEV_PASSWORD = 'tracetrack-dev';

const tokens = new Map<string, string>();

/**
 * A session token for a seeded user, signed the way the Worker signs them. Minted here rather than by
 * signing in, so the many tests do not spend the sign-in rate limits (auth.test.ts covers sign-in itself).
 */
export async function tokenFor(username: string): Promise<string> {
  const cached = tokens.get(username);
  if (cached) return cached;
  const [user] = await rows<{ id: number; username: string; role: Role; area_id: number | null }>(
    sql`SELECT id, username, role, area_id FROM users WHERE lower(username) = lower(${username})`,
  );
  if (!user) throw new Error(`no seeded user ${username}`);
  const { token } = await issueToken(env.SESSION_SECRET, { id: user.id, username: user.username, role: user.role, areaId: user.area_id }, 3600);
  tokens.set(username, token);
  return token;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = any>(
  method: string,
  path: string,
  options: { as?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; noOrigin?: boolean } = {},
): Promise<ApiResponse<T>> {
  // Like a browser on the app's own page: state-changing requests must carry an allowed Origin.
  const headers: Record<string, string> = { ...(options.noOrigin ? {} : { origin: BASE }), ...(options.headers ?? {}) };
  if (options.as) headers.authorization = `Bearer ${await tokenFor(options.as)}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // leave as text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

let counter = 0;
/** A parent QR no other test uses (storage is shared across tests of a file). */
export function uniqueParent(): string {
  counter++;
  return `SB${String((Date.now() % 90000) + counter).padStart(5, '0').slice(-5)}`;
}

export function uniqueChild(prefix = 'C'): string {
  return `${prefix}${crypto.randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
}
