// The pure parts of the socket kit: the per-socket message rate and the object's shared alarm lanes.
import { describe, expect, it } from 'vitest';
import { AlarmScheduler } from '../../../src/durable/alarm-scheduler';
import { takeMessage, type RateBucket } from '../../../src/durable/kit/message-rate';

describe('per-socket message rate', () => {
  const limits = { perSecond: 50, burst: 200 };

  it('never refuses a fast human scanner (3 a second for a whole shift)', () => {
    let bucket: RateBucket | undefined;
    let refused = 0;
    for (let i = 0; i < 3 * 3600 * 12; i++) {
      const r = takeMessage(bucket, i * 333, limits);
      bucket = r.bucket;
      if (r.verdict !== 'ok') refused++;
    }
    expect(refused).toBe(0);
  });

  it('refuses past the burst, then closes a socket that keeps on at once, and refills with time', () => {
    let bucket: RateBucket | undefined;
    const verdicts: string[] = [];
    for (let i = 0; i < 200 + 201; i++) {
      const r = takeMessage(bucket, 1000, limits);
      bucket = r.bucket;
      verdicts.push(r.verdict);
    }
    expect(verdicts.slice(0, 200).every((v) => v === 'ok')).toBe(true);
    expect(verdicts.slice(200, 400).every((v) => v === 'refuse')).toBe(true);
    expect(verdicts[400]).toBe('close');
    // One second later, 50 tokens are back.
    expect(takeMessage(bucket, 2000, limits).verdict).toBe('ok');
  });
});

function fakeStorage(initial: number | null = null) {
  const storage = {
    alarm: initial,
    sets: [] as number[],
    async getAlarm() {
      return storage.alarm;
    },
    async setAlarm(at: number) {
      storage.alarm = at;
      storage.sets.push(at);
    },
  };
  return storage;
}

describe('one alarm, several lanes', () => {
  it('stores the soonest lane; when it fires only the due lanes run and the others are armed again', async () => {
    const storage = fakeStorage();
    const alarms = new AlarmScheduler(storage);
    await alarms.load();
    alarms.soon(15_000, 'sweep');
    alarms.soon(100);
    const flushAt = storage.alarm!;
    expect(flushAt - Date.now()).toBeLessThan(200);
    const due = alarms.fired();
    expect(due('work')).toBe(true);
    expect(due('sweep')).toBe(false);
    expect(storage.alarm! - Date.now()).toBeGreaterThan(14_000);
    expect(alarms.isPending('sweep')).toBe(true);
    expect(alarms.pending).toBe(false);
  });

  it('a backing-off flush is not pulled earlier by new work, but the sweep still runs on time', async () => {
    const storage = fakeStorage();
    const alarms = new AlarmScheduler(storage);
    await alarms.load();
    for (let i = 0; i < 8; i++) alarms.backoff(8);
    alarms.soon(0); // new work while backing off
    expect(storage.alarm! - Date.now()).toBeGreaterThan(10_000);
    alarms.soon(5_000, 'sweep');
    expect(storage.alarm! - Date.now()).toBeLessThanOrEqual(5_000);
    const due = alarms.fired();
    expect(due('sweep')).toBe(true);
    expect(due('work')).toBe(false);
    expect(storage.alarm! - Date.now()).toBeGreaterThan(10_000);
  });

  it('an alarm stored by an earlier incarnation runs every lane (which one it was for is not known)', async () => {
    const storage = fakeStorage(Date.now() + 1000);
    const alarms = new AlarmScheduler(storage);
    await alarms.load();
    expect(alarms.pending).toBe(true);
    expect(alarms.isPending('sweep')).toBe(true);
    const due = alarms.fired();
    expect(due('work') && due('sweep') && due('forward')).toBe(true);
  });

  it('an alarm no lane asked for (set from outside) runs every lane too', async () => {
    const storage = fakeStorage();
    const alarms = new AlarmScheduler(storage);
    await alarms.load();
    storage.alarm = Date.now(); // e.g. a test's setAlarm: the scheduler asked for none
    const due = alarms.fired(Date.now());
    expect(due('work') && due('sweep')).toBe(true);
  });
});
