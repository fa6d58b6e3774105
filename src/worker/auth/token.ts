// Signed session tokens: the Worker verifies a session with one HMAC (cached per isolate) and no
// database round trip, which keeps authentication off the scan path's latency.
//   token = base64url(JSON payload) "." base64url(HMAC-SHA256(secret, payload part))
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

export async function issueToken(
  secret: string,
  user: { id: number; username: string; role: AuthUser['role']; areaId: number | null },
  ttlSeconds: number,
  now = Date.now(),
): Promise<{ token: string; user: AuthUser }> {
  const payload: Payload = {
    v: 1,
    sid: crypto.randomUUID(),
    uid: user.id,
    un: user.username,
    r: user.role,
    a: user.areaId,
    iat: now,
    exp: now + ttlSeconds * 1000,
  };
  const body = base64url(encoder.encode(JSON.stringify(payload)));
  const token = `${body}.${base64url(await sign(secret, body))}`;
  return { token, user: toUser(payload) };
}

function toUser(p: Payload): AuthUser {
  return { id: p.uid, username: p.un, role: p.r, areaId: p.a, sid: p.sid, iat: p.iat, exp: p.exp };
}

/** Verified tokens per isolate, so repeat requests skip even the HMAC. Bounded; oldest dropped first. */
const verified = new Map<string, { user: AuthUser; secret: string }>();
const VERIFIED_MAX = 10_000;

export async function verifyToken(secret: string, token: string, now = Date.now()): Promise<AuthUser | null> {
  if (token.length > 2048) return null;
  const cached = verified.get(token);
  // Keyed by token but checked against the secret, so a rotated secret stops old tokens at once.
  if (cached && cached.secret === secret) return cached.user.exp > now ? cached.user : null;
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
  if (payload.exp <= now) return null;
  const user = toUser(payload);
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
  verified.set(token, { user, secret });
  return user;
}
