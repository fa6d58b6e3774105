// Imported TraitorTrack passwords: werkzeug's hash formats, checked against hashes that werkzeug 3.1.8 itself
// generated (generate_password_hash; Python's hashlib underneath), so a mismatch in salt encoding, key length
// or digest would fail here.
import { describe, expect, it } from 'vitest';
import { checkPassword, isLegacyHash, verifyLegacyPassword } from '../../../src/worker/auth/legacy-password';
import { hashPassword } from '../../../src/worker/auth/password';
import { describeHashScheme, parseWerkzeugHash } from '../../../src/shared/werkzeug-hash';
import { WERKZEUG_3_1_8 } from '../../support/werkzeug-vectors';


describe('werkzeug password hashes', () => {
  it.each(WERKZEUG_3_1_8)('accepts the right password and refuses a wrong one (%s, %s)', async (password, hash) => {
    expect(isLegacyHash(hash)).toBe(true);
    expect(await verifyLegacyPassword(password, hash)).toBe(true);
    expect(await verifyLegacyPassword(`${password}x`, hash)).toBe(false);
    expect(await verifyLegacyPassword(password.slice(1), hash)).toBe(false);
  });

  it('refuses a hash whose digest was tampered with', async () => {
    const [password, hash] = WERKZEUG_3_1_8[2]!;
    const tampered = hash.slice(0, -1) + (hash.endsWith('0') ? '1' : '0');
    expect(await verifyLegacyPassword(password, tampered)).toBe(false);
  });

  it('parses the parameters and rejects what it cannot verify safely', () => {
    expect(parseWerkzeugHash(WERKZEUG_3_1_8[0]![1])).toMatchObject({ kind: 'scrypt', n: 32768, r: 8, p: 1, salt: 'mxhKn3hXgGexacdx' });
    expect(parseWerkzeugHash(WERKZEUG_3_1_8[1]![1])).toMatchObject({ kind: 'pbkdf2', digest: 'sha256', iterations: 1_000_000 });
    for (const bad of [
      '',
      'plaintext',
      '$2b$12$abcdefghijklmnopqrstuuJ3xR0Nf1b0Z6xvE6p9a5o3xG3Nn1b2',
      'scrypt:32768:8:1$salt$abc', // digest too short
      'scrypt:1048576:8:1$salt$' + 'a'.repeat(128), // 1 GiB of memory
      'scrypt:1000:8:1$salt$' + 'a'.repeat(128), // N not a power of two
      'pbkdf2:md5:1000$salt$' + 'a'.repeat(32),
      'pbkdf2:sha256:0$salt$' + 'a'.repeat(64),
      'pbkdf2:sha256:1000$$' + 'a'.repeat(64),
      'pbkdf2:sha256:1000$salt$' + 'A'.repeat(64),
      'sha256$salt$' + 'a'.repeat(64),
    ]) {
      expect(parseWerkzeugHash(bad), bad).toBeNull();
    }
  });

  it('names unknown schemes without revealing them', () => {
    expect(describeHashScheme(null)).toBe('empty');
    expect(describeHashScheme('$2b$12$abcdefghijk')).toBe('bcrypt');
    expect(describeHashScheme('hunter2')).toBe('unrecognised (possibly plain text)');
    expect(describeHashScheme('sha256$salt$abc')).toBe('sha256');
    expect(describeHashScheme('scrypt:1000:8:1$salt$abc')).toBe('scrypt:1000:8:1 (malformed or out of range)');
  });

  it('checkPassword tells imported hashes from our own', async () => {
    const own = await hashPassword('own-password-1', 1000);
    expect(await checkPassword('own-password-1', own)).toEqual({ valid: true, legacy: false });
    expect(await checkPassword('wrong', own)).toEqual({ valid: false, legacy: false });
    const [password, hash] = WERKZEUG_3_1_8[4]!;
    expect(await checkPassword(password, hash)).toEqual({ valid: true, legacy: true });
    expect(await checkPassword('wrong', hash)).toEqual({ valid: false, legacy: true });
  });
});

describe('the test helper that makes werkzeug hashes', () => {
  it('makes the hashes werkzeug makes (same salt, same digest)', async () => {
    const { werkzeugPbkdf2, werkzeugScrypt } = await import('../../support/werkzeug');
    const [, scryptHash] = WERKZEUG_3_1_8[0]!;
    expect(werkzeugScrypt('Tr41tor-pass', 32768, 8, 1, 'mxhKn3hXgGexacdx')).toBe(scryptHash);
    const [, pbkdf2Hash] = WERKZEUG_3_1_8[2]!;
    expect(werkzeugPbkdf2('Tr41tor-pass', 260000, 'sha256', 'brnxCDr10Qnx6bFK')).toBe(pbkdf2Hash);
  });
});
