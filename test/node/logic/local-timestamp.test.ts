import { describe, expect, it } from 'vitest';
import { localTimestampFormatter } from '../../../src/worker/read/local-time';

describe('local timestamps for exports', () => {
  it('writes wall-clock time with the offset, 24-hour', () => {
    const f = localTimestampFormatter('Asia/Kolkata');
    expect(f('2026-12-02T14:05:09.123Z')).toBe('2026-12-02 19:35:09 +05:30');
    expect(f('2026-12-02T20:00:00.000Z')).toBe('2026-12-03 01:30:00 +05:30');
  });

  it('follows daylight saving on both sides of a switch', () => {
    const f = localTimestampFormatter('Europe/Berlin');
    // 2026-03-29 01:00 UTC: clocks go from 02:00 CET to 03:00 CEST.
    expect(f('2026-03-29T00:59:59.000Z')).toBe('2026-03-29 01:59:59 +01:00');
    expect(f('2026-03-29T01:00:00.000Z')).toBe('2026-03-29 03:00:00 +02:00');
    expect(localTimestampFormatter('America/New_York')('2026-07-01T12:00:00Z')).toBe('2026-07-01 08:00:00 -04:00');
  });

  it('leaves empty cells empty and non-times as they are', () => {
    const f = localTimestampFormatter('UTC');
    expect([f(null), f(undefined), f(''), f('not a time')]).toEqual(['', '', '', 'not a time']);
    expect(f('2026-01-01T00:00:00Z')).toBe('2026-01-01 00:00:00 +00:00');
  });
});
