import { describe, expect, it } from 'vitest';
import { looksLikeRecoveryCode, newRecoveryCodes, uniformChars } from '../../../src/worker/auth/totp';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A byte source that hands out the given bytes in order, as many as each call asks for. */
function scripted(bytes: number[]): (length: number) => Uint8Array {
  let at = 0;
  return (length) => {
    const out = new Uint8Array(bytes.slice(at, at + length));
    at += length;
    if (out.length < length) throw new Error('script ran out of bytes');
    return out;
  };
}

describe('recovery codes', () => {
  it('draws again for bytes that would bias the alphabet (248 to 255), so every character is equally likely', () => {
    // 248 % 31 = 0 would have been an extra chance for "a"; 255 % 31 = 7 one for "h".
    const chars = uniformChars(4, scripted([248, 0, 255, 30, 250, 31, 61]));
    expect(chars).toBe(`${ALPHABET[0]}${ALPHABET[30]}${ALPHABET[0]}${ALPHABET[30]}`);
  });

  it('maps every unbiased byte value to exactly 8 of the 248 accepted values per character', () => {
    const counts = new Map<string, number>();
    const accepted = Array.from({ length: 248 }, (_, b) => b);
    for (const c of uniformChars(248, scripted(accepted))) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(31);
    expect(new Set(counts.values())).toEqual(new Set([8]));
  });

  it('are 10 such characters shown as xxxxx-xxxxx, all different, and recognised as recovery codes', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
      expect(looksLikeRecoveryCode(code)).toBe(true);
    }
  });
});
