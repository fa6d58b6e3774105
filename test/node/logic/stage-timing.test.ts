// Server-Timing stages (src/observability/stage-timing.ts): what a request's helpers record reaches that
// request's header only, and nothing is recorded when timing is off.
import { describe, expect, it } from 'vitest';
import { recordStage, StageTimes, timeStage, withStageTimes } from '../../../src/observability/stage-timing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stage timing', () => {
  it('adds up each stage per request, across awaits, without mixing two requests', async () => {
    const a = new StageTimes();
    const b = new StageTimes();
    await Promise.all([
      withStageTimes(a, async () => {
        await timeStage('reader', () => sleep(5));
        recordStage('pg', 1.234);
        recordStage('pg', 1);
      }),
      withStageTimes(b, async () => {
        await sleep(1);
        recordStage('board', 3);
      }),
    ]);
    expect(a.header()).toMatch(/^reader;dur=\d+(\.\d+)?, pg;dur=2\.23$/);
    expect(Number(/reader;dur=([\d.]+)/.exec(a.header())![1])).toBeGreaterThanOrEqual(4);
    expect(b.header()).toBe('board;dur=3');
  });

  it('records nothing outside a timed request', async () => {
    recordStage('pg', 5);
    expect(await timeStage('reader', async () => 42)).toBe(42);
    expect(new StageTimes().header()).toBe('');
  });
});
