import { describe, expect, test } from 'vitest';
import { inlineParams } from '../../../src/db/inline-params';

describe('inlineParams', () => {
  test('replaces each placeholder by its value as an escape-string literal', () => {
    expect(inlineParams('SELECT $1::text[], $2::int, $3', ['{"A","B"}', 7, null])).toBe(`SELECT E'{"A","B"}'::text[], E'7'::int, NULL`);
  });

  test('doubles quotes and backslashes, so a value cannot end its literal', () => {
    const out = inlineParams('SELECT $1', ["x'); DROP TABLE bags; --\\"]);
    expect(out).toBe("SELECT E'x''); DROP TABLE bags; --\\\\'");
  });

  test('$10 is the tenth parameter, not the first followed by 0', () => {
    const params = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(inlineParams('SELECT $1, $10', params)).toBe("SELECT E'v1', E'v10'");
  });

  test('booleans, bigints and negative numbers stay values (quoted, so `x-$1` cannot become a comment)', () => {
    expect(inlineParams('SELECT $1, $2, x-$3', [true, 12n, -5])).toBe("SELECT E't', E'12', x-E'-5'");
  });

  test('anything it cannot write as a literal, or a $ that is not a placeholder, is left to the extended protocol', () => {
    expect(inlineParams('SELECT $1', [{ a: 1 }])).toBeNull();
    expect(inlineParams('SELECT $1', [new Date(0)])).toBeNull();
    expect(inlineParams('SELECT $1', [Number.NaN])).toBeNull();
    expect(inlineParams('SELECT $1', ['a\0b'])).toBeNull();
    expect(inlineParams('SELECT $2', ['only one'])).toBeNull();
    expect(inlineParams('SELECT $$quoted$$, $1', ['x'])).toBeNull();
  });
});
