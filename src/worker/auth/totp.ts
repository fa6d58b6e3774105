// TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s) through the maintained `otpauth` library, and
// one-time recovery codes. Replay protection lives in Postgres (users.totp_last_step, see db/totp.ts).
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'TraceTrack';

function totpFor(secretBase32: string, username: string): TOTP {
  return new TOTP({ issuer: ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUri(secretBase32: string, username: string): string {
  return totpFor(secretBase32, username).toString();
}

/** The time step a code belongs to (one step of clock drift either way), or null when it is wrong. */
export function totpStep(secretBase32: string, username: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32, username).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

// Recovery codes: 10 characters from an alphabet without look-alikes (~50 bits each), shown once as xxxxx-xxxxx.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

type RandomBytes = (length: number) => Uint8Array;
const systemRandom: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT, random: RandomBytes = systemRandom): string[] {
  return Array.from({ length: count }, () => {
    const chars = uniformChars(10, random);
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/**
 * `length` characters, each equally likely. 256 is not a multiple of the alphabet's 31 letters, so `byte % 31`
 * would favour the first 8 (9/256 against 8/256); bytes from 248 up are drawn again instead.
 */
export function uniformChars(length: number, random: RandomBytes = systemRandom): string {
  const limit = 256 - (256 % ALPHABET.length);
  let out = '';
  while (out.length < length) {
    for (const b of random(length - out.length)) if (b < limit) out += ALPHABET[b % ALPHABET.length];
  }
  return out;
}

export function normalizeRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/[\s-]/g, '');
}

/** Codes are random and high-entropy, so a plain SHA-256 is enough to keep them unusable if the table leaks. */
export async function hashRecoveryCode(code: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(normalizeRecoveryCode(code)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{10}$/.test(normalizeRecoveryCode(code));
}
