// werkzeug's generate_password_hash, re-done with node:crypto for test data: scrypt(password, salt as UTF-8,
// N, r, p, dklen 64) and pbkdf2_hmac(digest, password, salt, iterations) with the digest's length, both as
// hex, in werkzeug's `method$salt$hex` format (test/node/logic/werkzeug-password.test.ts checks this module
// against hashes werkzeug itself made).
import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';

const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function salt(length = 16): string {
  return [...randomBytes(length)].map((b) => SALT_CHARS[b % SALT_CHARS.length]).join('');
}

export function werkzeugScrypt(password: string, n = 32768, r = 8, p = 1, s = salt()): string {
  const key = scryptSync(password, s, 64, { N: n, r, p, maxmem: 132 * n * r * p + 1_048_576 });
  return `scrypt:${n}:${r}:${p}$${s}$${key.toString('hex')}`;
}

export function werkzeugPbkdf2(password: string, iterations = 600_000, digest: 'sha1' | 'sha256' | 'sha512' = 'sha256', s = salt()): string {
  const bytes = { sha1: 20, sha256: 32, sha512: 64 }[digest];
  return `pbkdf2:${digest}:${iterations}$${s}$${pbkdf2Sync(password, s, iterations, bytes, digest).toString('hex')}`;
}
