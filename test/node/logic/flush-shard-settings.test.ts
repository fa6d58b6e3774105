// FLUSH_SHARDS_PREVIOUS (issue 15 point 4): the shard counts whose queues still drain after FLUSH_SHARDS changed,
// validated with zod like every setting; and the counter slot a flush shard writes.
import { describe, expect, it } from 'vitest';
import { settings, SettingsError } from '../../../src/config/settings';
import { COUNTER_SLOTS, counterSlot } from '../../../src/db/counter-sql';
import { parseQueueName } from '../../../src/durable/flush/queue-name';

const base = { DATABASE_URL: 'postgres://x', SESSION_SECRET: 'x'.repeat(32) };
const read = (extra: Record<string, string>) => settings({ ...base, ...extra });

describe('FLUSH_SHARDS_PREVIOUS', () => {
  it('defaults to none', () => {
    expect(read({}).FLUSH_SHARDS_PREVIOUS).toEqual([]);
    expect(read({ FLUSH_SHARDS_PREVIOUS: '' }).FLUSH_SHARDS_PREVIOUS).toEqual([]);
  });

  it('reads a comma-separated list of earlier counts', () => {
    expect(read({ FLUSH_SHARDS: '32', FLUSH_SHARDS_PREVIOUS: '8' }).FLUSH_SHARDS_PREVIOUS).toEqual([8]);
    expect(read({ FLUSH_SHARDS: '32', FLUSH_SHARDS_PREVIOUS: ' 8, 16 ' }).FLUSH_SHARDS_PREVIOUS).toEqual([8, 16]);
  });

  it.each([
    ['eight', 'comma-separated list'],
    ['8;16', 'comma-separated list'],
    ['0', 'at least 1'],
    ['2048', 'at most 1024'],
    ['8,8', 'twice'],
    ['32', 'must not list the current FLUSH_SHARDS'],
  ])('refuses %j', (value, message) => {
    expect(() => read({ FLUSH_SHARDS: '32', FLUSH_SHARDS_PREVIOUS: value })).toThrow(SettingsError);
    expect(() => read({ FLUSH_SHARDS: '32', FLUSH_SHARDS_PREVIOUS: value })).toThrow(message);
  });
});

describe('flush queue names and counter slots', () => {
  it('parses flush:<shard>/<count>', () => {
    expect(parseQueueName('flush:3/8')).toEqual({ shard: 3, count: 8 });
    expect(parseQueueName('flush:31/32')).toEqual({ shard: 31, count: 32 });
    expect(parseQueueName('flush:3')).toBeNull();
    expect(parseQueueName(undefined)).toBeNull();
  });

  it('gives shard i slot i % COUNTER_SLOTS', () => {
    expect(COUNTER_SLOTS).toBe(16);
    expect(counterSlot(0)).toBe(0);
    expect(counterSlot(7)).toBe(7);
    expect(counterSlot(16)).toBe(0);
    expect(counterSlot(31)).toBe(15);
    expect(counterSlot(-1)).toBe(15);
  });
});
