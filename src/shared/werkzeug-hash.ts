// The password hash formats of werkzeug (`werkzeug.security.generate_password_hash`), which TraitorTrack
// stored: `scrypt:N:r:p$salt$hexdigest` (werkzeug ≥ 2.3) and `pbkdf2:HASH:ITERATIONS$salt$hexdigest`
// (older). Parsing only, no crypto: the importer checks formats with it and the Worker verifies with it.

export type WerkzeugHash =
  | { kind: 'scrypt'; n: number; r: number; p: number; salt: string; hex: string }
  | { kind: 'pbkdf2'; digest: 'sha1' | 'sha256' | 'sha512'; iterations: number; salt: string; hex: string };

/** scrypt needs 128 × N × r bytes; above this the Worker (128 MB per isolate) could not verify it. */
export const MAX_SCRYPT_MEMORY_BYTES = 64 * 1024 * 1024;
export const MAX_PBKDF2_ITERATIONS = 5_000_000;

const DIGEST_BYTES = { sha1: 20, sha256: 32, sha512: 64 } as const;
const SCRYPT_BYTES = 64;

function int(text: string | undefined): number | null {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : null;
}

/** The parts of a werkzeug hash, or null when `stored` is not one this code can verify. */
export function parseWerkzeugHash(stored: string): WerkzeugHash | null {
  const parts = stored.split('$');
  if (parts.length !== 3) return null;
  const [method = '', salt = '', hex = ''] = parts;
  if (salt.length === 0 || !/^[0-9a-f]+$/.test(hex)) return null;
  const m = method.split(':');
  if (m[0] === 'scrypt' && m.length === 4) {
    const [n, r, p] = [int(m[1]), int(m[2]), int(m[3])];
    if (n === null || r === null || p === null || n < 2 || (n & (n - 1)) !== 0 || r < 1 || p < 1 || p > 16) return null;
    if (128 * n * r > MAX_SCRYPT_MEMORY_BYTES || hex.length !== SCRYPT_BYTES * 2) return null;
    return { kind: 'scrypt', n, r, p, salt, hex };
  }
  if (m[0] === 'pbkdf2' && m.length === 3) {
    const digest = m[1];
    const iterations = int(m[2]);
    if (digest !== 'sha1' && digest !== 'sha256' && digest !== 'sha512') return null;
    if (iterations === null || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) return null;
    if (hex.length !== DIGEST_BYTES[digest] * 2) return null;
    return { kind: 'pbkdf2', digest, iterations, salt, hex };
  }
  return null;
}

/** A short, secret-free name for a stored hash's scheme, for reports ("bcrypt", "plain text?"). */
export function describeHashScheme(stored: string | null): string {
  if (!stored) return 'empty';
  if (/^\$2[abxy]\$/.test(stored)) return 'bcrypt';
  if (/^\$argon2/.test(stored)) return 'argon2';
  const method = stored.split('$')[0] ?? '';
  if (/^(scrypt|pbkdf2)(:[a-z0-9]*)*$/.test(method)) return `${method} (malformed or out of range)`;
  if (/^[a-z0-9]+(:[a-z0-9]+)*$/.test(method) && stored.includes('$')) return method;
  return 'unrecognised (possibly plain text)';
}
