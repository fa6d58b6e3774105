import { describe, expect, it } from 'vitest';
import { fnv1a, shardOf } from '../../../src/durable/registry/shard';
import { hashPassword, verifyPassword, PBKDF2_ITERATIONS } from '../../../src/worker/auth/password';
import { issueToken, verifyToken } from '../../../src/worker/auth/token';
import { normalizeQr, roleOfQr } from '../../../src/shared/qr';

describe('QR rules', () => {
  it('classifies normalized QRs by role', () => {
    expect(normalizeQr('  sb00860 ')).toBe('SB00860');
    expect(roleOfQr('SB00860')).toBe('parent');
    // SB and digits only is a parent label, misprinted or mistyped when the digits are not 5: never a child.
    expect(roleOfQr('SB0086')).toBeNull();
    expect(roleOfQr('SB001234')).toBeNull();
    expect(roleOfQr('SB0086A')).toBe('child');
    expect(roleOfQr('ABCD')).toBe('child');
    expect(roleOfQr('ABC')).toBeNull();
    expect(roleOfQr('AB CD')).toBeNull();
  });
});

describe('registry sharding', () => {
  it('is stable and spreads sequential QRs evenly', () => {
    expect(fnv1a('SB00001')).toBe(fnv1a('SB00001'));
    const shards = 128;
    const counts = new Array(shards).fill(0);
    for (let i = 0; i < 128_000; i++) counts[shardOf(`C${String(i).padStart(8, '0')}`, shards)]++;
    expect(Math.min(...counts)).toBeGreaterThan(700);
    expect(Math.max(...counts)).toBeLessThan(1300);
  });
});

describe('passwords', () => {
  it('hashes with a versioned PBKDF2 format and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(new RegExp(`^pbkdf2-sha256\\$${PBKDF2_ITERATIONS}\\$`));
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(stored); // per-user salt
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('session tokens', () => {
  const secret = 'a'.repeat(40);
  const user = { id: 7, username: 'dee', role: 'dispatcher' as const, areaId: 3 };

  it('verifies its own tokens and rejects tampering, other secrets and expiry', async () => {
    const { token } = await issueToken(secret, user, 60, 1_000_000);
    expect(await verifyToken(secret, token, 1_000_001)).toMatchObject({ id: 7, role: 'dispatcher', areaId: 3 });
    const [body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ v: 1, sid: 'x', uid: 1, un: 'admin', r: 'admin', a: null, iat: 0, exp: 9e15 })).toString('base64url');
    expect(await verifyToken(secret, `${forged}.${sig}`, 1_000_001)).toBeNull();
    expect(await verifyToken('b'.repeat(40), `${body}.${sig}`, 1_000_001)).toBeNull();
    const { token: short } = await issueToken(secret, user, 60, 1_000_000);
    expect(await verifyToken(secret, short, 1_000_000 + 61_000)).toBeNull();
    for (const junk of ['', '.', 'a.b.c', '!!!.???', 'x'.repeat(5000)]) expect(await verifyToken(secret, junk)).toBeNull();
  });
});
