import { describe, expect, it } from 'vitest';
import { allowedOrigins } from '../../../src/worker/http/allowed-origins';

describe('ALLOWED_ORIGINS', () => {
  it('normalises entries to origins and ignores junk', () => {
    expect([...allowedOrigins(' https://ops.example.com/ , http://10.0.0.5:8787,not a url,')]).toEqual(['https://ops.example.com', 'http://10.0.0.5:8787']);
    expect(allowedOrigins('').size).toBe(0);
  });
});
