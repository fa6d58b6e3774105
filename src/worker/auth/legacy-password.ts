// Passwords imported from TraitorTrack keep working: their werkzeug hashes (src/shared/werkzeug-hash.ts) are
// verified with node:crypto, which workerd implements natively (nodejs_compat; WebCrypto's PBKDF2 stops at
// 100,000 iterations and werkzeug uses up to 1,000,000). One verification costs ~0.1 s CPU (scrypt
// 32768/8/1) to ~0.3 s (pbkdf2 1,000,000) in workerd here (docs/MIGRATING.md), once per person: the first
// successful sign-in replaces the hash with TraceTrack's own (see rehashLegacyPassword).
import { pbkdf2, scrypt } from 'node:crypto';
import { parseWerkzeugHash, type WerkzeugHash } from '../../shared/werkzeug-hash';
import type { AuditMeta } from '../../db/audit';
import type { Db } from '../../db/client';
import { replaceLegacyHash } from '../../db/password-rehash';
import { hashPassword, timingSafeEqual, verifyPassword } from './password';

function derive(password: string, hash: WerkzeugHash): Promise<Uint8Array> {
  // werkzeug: hashlib.scrypt(password, salt=salt.encode(), n, r, p, maxmem=132*n*r*p) with dklen 64, and
  // hashlib.pbkdf2_hmac(digest, password, salt.encode(), iterations) with the digest's own length.
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, key: Uint8Array) => (err ? reject(err) : resolve(key));
    if (hash.kind === 'scrypt') {
      scrypt(password, hash.salt, hash.hex.length / 2, { N: hash.n, r: hash.r, p: hash.p, maxmem: 256 * hash.n * hash.r + 1_048_576 }, done);
    } else {
      pbkdf2(password, hash.salt, hash.iterations, hash.hex.length / 2, hash.digest, done);
    }
  });
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function isLegacyHash(stored: string): boolean {
  return parseWerkzeugHash(stored) !== null;
}

export async function verifyLegacyPassword(password: string, stored: string): Promise<boolean> {
  const hash = parseWerkzeugHash(stored);
  if (!hash) return false;
  return timingSafeEqual(await derive(password, hash), fromHex(hash.hex));
}

export interface PasswordCheck {
  valid: boolean;
  /** The stored hash is an imported one: replace it (rehashLegacyPassword) once the sign-in succeeds. */
  legacy: boolean;
}

/** Verifies against TraceTrack's own hash, or an imported werkzeug hash. */
export async function checkPassword(password: string, stored: string): Promise<PasswordCheck> {
  if (isLegacyHash(stored)) return { valid: await verifyLegacyPassword(password, stored), legacy: true };
  return { valid: await verifyPassword(password, stored), legacy: false };
}

/** After a successful sign-in with an imported hash: store TraceTrack's own hash instead (audited). */
export async function rehashLegacyPassword(db: Db, meta: AuditMeta, user: { id: number; passwordHash: string }, password: string): Promise<void> {
  await replaceLegacyHash(db, meta, user.id, user.passwordHash, await hashPassword(password));
}
