// Signed session tokens: the Worker verifies a session with one HMAC (cached per isolate) and no
// database round trip, which keeps authentication off the scan path's latency.
//   token = base64url(JSON payload) "." base64url(HMAC-SHA256(secret, payload part))
// A session has two deadlines, both inside the signed payload: `exp`, the absolute end (SESSION_TTL_SECONDS
// after sign-in), and `idl`, the idle deadline. Activity slides `idl` by re-issuing the token (same sid,
// iat and exp; see refreshToken), so idleness costs no database round trip either.
import { z } from 'zod';
import { ROLES } from '../../shared/types';
import type { AuthUser } from './auth-user';
import { timingSafeEqual } from './password';

const payloadSchema = z.object({
  v: z.literal(1),
  sid: z.string(),
  uid: z.number().int(),
  un: z.string(),
  r: z.enum(ROLES),
  a: z.number().int().nullable(),
  iat: z.number(),
  exp: z.number(),
  /** Idle deadline (epoch ms), never past exp. */
  idl: z.number(),
  /**
   * The user's language as of sign-in (or their last change of it in this session), so the app's start
   * (/api/auth/me) needs no database read. Absent in tokens issued before it was carried: /me reads it then.
   */
  lc: z.enum(['en', 'hi']).nullable().optional(),
});

type Payload = z.infer<typeof payloadSchema>;

const encoder = new TextEncoder();
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keys = new Map<string, Promise<HmacKey>>();

function hmacKey(secret: string): Promise<HmacKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  try {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
    return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

async function sign(secret: string, data: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(data)));
}

async function encode(secret: string, payload: Payload): Promise<string> {
  const body = base64url(encoder.encode(JSON.stringify(payload)));
  return `${body}.${base64url(await sign(secret, body))}`;
}

/** A new session. `idleSeconds` defaults to the whole lifetime (no idle timeout). */
export async function issueToken(
  secret: string,
  user: { id: number; username: string; role: AuthUser['role']; areaId: number | null; locale?: AuthUser['locale'] },
  ttlSeconds: number,
  now = Date.now(),
  idleSeconds = ttlSeconds,
): Promise<{ token: string; user: AuthUser }> {
  const exp = now + ttlSeconds * 1000;
  const payload: Payload = {
    v: 1,
    sid: crypto.randomUUID(),
    uid: user.id,
    un: user.username,
    r: user.role,
    a: user.areaId,
    iat: now,
    exp,
    idl: Math.min(exp, now + idleSeconds * 1000),
    ...(user.locale !== undefined ? { lc: user.locale } : {}),
  };
  return { token: await encode(secret, payload), user: toUser(payload) };
}

/**
 * The same session with its idle deadline moved to now + idleSeconds (capped at the absolute expiry);
 * `locale`: the language it carries from now on (the user changed it), by default the one it had.
 */
export async function refreshToken(secret: string, user: AuthUser, idleSeconds: number, now = Date.now(), locale = user.locale): Promise<{ token: string; user: AuthUser }> {
  const payload: Payload = {
    v: 1,
    sid: user.sid,
    uid: user.id,
    un: user.username,
    r: user.role,
    a: user.areaId,
    iat: user.iat,
    exp: user.exp,
    idl: Math.min(user.exp, now + idleSeconds * 1000),
    ...(locale !== undefined ? { lc: locale } : {}),
  };
  return { token: await encode(secret, payload), user: toUser(payload) };
}

function toUser(p: Payload): AuthUser {
  return { id: p.uid, username: p.un, role: p.r, areaId: p.a, sid: p.sid, iat: p.iat, exp: p.exp, idleUntil: p.idl, ...(p.lc !== undefined ? { locale: p.lc } : {}) };
}

/** Whether a session is past either deadline. */
export function sessionOver(user: { exp: number; idleUntil: number }, now: number): boolean {
  return user.exp <= now || user.idleUntil <= now;
}

/** Verified tokens per isolate, so repeat requests skip even the HMAC. Bounded; oldest dropped first. */
const verified = new Map<string, { user: AuthUser; secret: string }>();
const VERIFIED_MAX = 10_000;

export async function verifyToken(secret: string, token: string, now = Date.now()): Promise<AuthUser | null> {
  if (token.length > 2048) return null;
  const cached = verified.get(token);
  // Keyed by token but checked against the secret, so a rotated secret stops old tokens at once.
  if (cached && cached.secret === secret) return sessionOver(cached.user, now) ? null : cached.user;
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return null;
  const given = fromBase64url(sig);
  if (!given || !timingSafeEqual(given, await sign(secret, body))) return null;
  let payload: Payload;
  try {
    const bytes = fromBase64url(body);
    if (!bytes) return null;
    const parsed = payloadSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    if (!parsed.success) return null;
    payload = parsed.data;
  } catch {
    return null;
  }
  const user = toUser(payload);
  if (sessionOver(user, now)) return null;
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
  verified.set(token, { user, secret });
  return user;
}
