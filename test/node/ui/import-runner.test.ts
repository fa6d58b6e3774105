// The import screen's batch runner: retries passing failures (no network, 5xx, rows the server could not
// answer), pauses after a few tries with what it has, resumes from the first unfinished batch, and stops on a
// 4xx (the request's own fault).
import { describe, expect, it } from 'vitest';
import type { ImportRowsResponse } from '../../../src/shared/import-types';
import { runImport, type RunOptions } from '../../../src/ui/screens/import/runner';

const batches = [0, 1, 2].map((b) => ({ rows: JSON.stringify([{ row: b * 10 + 2 }, { row: b * 10 + 3 }]), size: 2 }));

function options(send: RunOptions['send'], progress: number[] = []): RunOptions {
  return {
    importId: 'a'.repeat(64),
    kind: 'links',
    dryRun: false,
    fileName: 'f.csv',
    areaId: 3,
    batches,
    send,
    onProgress: (done) => progress.push(done),
    sleep: async () => undefined,
    tries: 3,
  };
}

const answer = (body: Record<string, unknown>): ImportRowsResponse => ({
  results: (body.rows as Array<{ row: number }>).map((r) => ({ row: r.row, outcome: 'linked' })),
});

describe('import runner', () => {
  it('sends every batch once when all goes well, with the area and progress', async () => {
    const sent: Array<Record<string, unknown>> = [];
    const progress: number[] = [];
    const end = await runImport(options(async (body) => (sent.push(body), answer(body)), progress), new AbortController().signal);
    expect(end.state).toBe('done');
    expect(end.results.size).toBe(6);
    expect(sent.map((b) => b.areaId)).toEqual([3, 3, 3]);
    expect(progress).toEqual([0, 2, 4, 6]);
  });

  it('retries a dropped connection and an UNAVAILABLE row with the same batch', async () => {
    let calls = 0;
    const bodies: string[] = [];
    const end = await runImport(
      options(async (body) => {
        calls++;
        bodies.push(JSON.stringify(body));
        if (calls === 1) throw Object.assign(new Error('No connection to the server.'), { status: 0 });
        if (calls === 2) return { results: [{ row: 2, outcome: 'linked' }, { row: 3, outcome: 'conflict', code: 'UNAVAILABLE', message: 'busy' }] };
        return answer(body);
      }),
      new AbortController().signal,
    );
    expect(end.state).toBe('done');
    expect(bodies[0]).toBe(bodies[1]);
    expect(bodies[1]).toBe(bodies[2]);
    expect(end.results.get(3)?.outcome).toBe('linked');
  });

  it('pauses after its tries and resumes from the unfinished batch; a 4xx ends the run', async () => {
    let down = false;
    const send: RunOptions['send'] = async (body) => {
      if (down) throw Object.assign(new Error('server down'), { status: 503 });
      if ((body.rows as Array<{ row: number }>)[0]!.row === 12) down = true;
      return answer(body);
    };
    const first = await runImport(options(send), new AbortController().signal);
    expect(first).toMatchObject({ state: 'paused', nextBatch: 2, reason: 'server down' });
    if (first.state !== 'paused') throw new Error('not paused');
    down = false;
    const sent: number[] = [];
    const resumed = await runImport(
      options(async (body) => (sent.push((body.rows as Array<{ row: number }>)[0]!.row), answer(body))),
      new AbortController().signal,
      first.nextBatch,
      first.results,
    );
    expect(resumed.state).toBe('done');
    expect(sent).toEqual([22]);
    expect(resumed.results.size).toBe(6);
    const refused = await runImport(options(async () => Promise.reject(Object.assign(new Error('bad'), { status: 400 }))), new AbortController().signal);
    expect(refused).toMatchObject({ state: 'failed', reason: 'bad' });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const end = await runImport(options(async (body) => (controller.abort(), answer(body))), controller.signal);
    expect(end).toMatchObject({ state: 'paused', nextBatch: 1 });
  });
});
