// The kit's outbox drain and coalescing push, with fake storage and destinations (no workerd).
import { describe, expect, it } from 'vitest';
import { OutboxDrain, type OutboxPort } from '../../../src/durable/kit/outbox-drain';
import { CoalescingPush } from '../../../src/durable/kit/coalescing-push';

interface Row {
  seq: number;
  body: string;
}

function memoryOutbox(n: number): OutboxPort<Row> & { rows: Row[] } {
  const rows = Array.from({ length: n }, (_, i) => ({ seq: i + 1, body: `r${i + 1}` }));
  return {
    rows,
    read: (limit) => rows.slice(0, limit),
    deleteThrough: (seq) => {
      while (rows.length && rows[0]!.seq <= seq) rows.shift();
    },
    size: () => rows.length,
  };
}

describe('outbox drain', () => {
  it('writes every row once, oldest first, in batches, and deletes only what landed', async () => {
    const outbox = memoryOutbox(7);
    const batches: string[][] = [];
    const drain = new OutboxDrain<Row>({ object: 'test', batchRows: 3, outbox, write: async (rows) => void batches.push(rows.map((r) => r.body)) });
    expect(await drain.run()).toBe(true);
    expect(batches).toEqual([['r1', 'r2', 'r3'], ['r4', 'r5', 'r6'], ['r7']]);
    expect(outbox.size()).toBe(0);
  });

  it('keeps a failed batch for the next run, counts failures, reports the backlog, then reports it drained once', async () => {
    const outbox = memoryOutbox(5);
    const reports: Array<[number, string | null]> = [];
    const failures: number[] = [];
    let down = true;
    const written: string[] = [];
    const drain = new OutboxDrain<Row>({
      object: 'test',
      batchRows: 2,
      outbox,
      write: async (rows) => {
        if (down && rows[0]!.seq > 2) throw new Error('postgres down');
        written.push(...rows.map((r) => r.body));
      },
      failed: (_err, attempt) => failures.push(attempt),
      report: async (size, error) => void reports.push([size, error]),
    });
    expect(await drain.run()).toBe(false);
    expect(await drain.run()).toBe(false);
    expect(outbox.rows.map((r) => r.body)).toEqual(['r3', 'r4', 'r5']);
    expect(drain.failures).toBe(2);
    expect(drain.lastError).toBe('postgres down');
    expect(failures).toEqual([1, 2]);
    down = false;
    expect(await drain.run()).toBe(true);
    expect(await drain.run()).toBe(true);
    expect(written).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(drain.failures).toBe(0);
    expect(drain.lastError).toBeNull();
    // Stuck twice (3 rows waiting), drained once; the second clean run reports nothing.
    expect(reports).toEqual([
      [3, 'postgres down'],
      [3, 'postgres down'],
      [0, null],
    ]);
  });

  it('stops after maxBatches and hands each landed batch with its result to `written`, after the delete', async () => {
    const outbox = memoryOutbox(5);
    const seen: Array<{ rows: number; result: number; leftAfterDelete: number }> = [];
    const drain = new OutboxDrain<Row, number>({
      object: 'test',
      batchRows: 2,
      maxBatches: 1,
      outbox,
      write: async (rows) => rows.length * 10,
      written: (rows, result) => void seen.push({ rows: rows.length, result, leftAfterDelete: outbox.size() }),
    });
    expect(await drain.run()).toBe(true);
    expect(seen).toEqual([{ rows: 2, result: 20, leftAfterDelete: 3 }]);
    expect(outbox.size()).toBe(3);
  });

  it('shortBatchDrains: a short batch ends the run without one more read; rows added during the write wait', async () => {
    const outbox = memoryOutbox(5);
    let reads = 0;
    const counted: OutboxPort<Row> = { ...outbox, read: (limit) => (reads++, outbox.read(limit)) };
    const drain = new OutboxDrain<Row>({
      object: 'test',
      batchRows: 3,
      shortBatchDrains: true,
      outbox: counted,
      // A row added while the first batch is on its way (its owner asks for its own run).
      write: async (rows) => void (rows[0]!.seq === 1 && outbox.rows.push({ seq: 6, body: 'r6' })),
    });
    expect(await drain.run()).toBe(true);
    // [r1 r2 r3] full, [r4 r5 r6] full, then one read finds nothing.
    expect(reads).toBe(3);
    outbox.rows.push({ seq: 7, body: 'r7' });
    reads = 0;
    expect(await drain.run()).toBe(true);
    expect(reads).toBe(1);
    expect(outbox.size()).toBe(0);
  });

  it('an unreachable monitor neither fails the drain nor forgets to report later', async () => {
    const outbox = memoryOutbox(1);
    let monitorUp = false;
    const reports: number[] = [];
    let fail = true;
    const drain = new OutboxDrain<Row>({
      object: 'test',
      batchRows: 10,
      outbox,
      write: async () => {
        if (fail) throw new Error('down');
      },
      report: async (size) => {
        if (!monitorUp) throw new Error('monitor away');
        reports.push(size);
      },
    });
    expect(await drain.run()).toBe(false);
    monitorUp = true;
    expect(await drain.run()).toBe(false);
    fail = false;
    expect(await drain.run()).toBe(true);
    expect(reports).toEqual([1, 0]);
  });
});

describe('coalescing push', () => {
  it('one send in flight; requests meanwhile become one more send of the newest value', async () => {
    let value = 0;
    const sent: number[] = [];
    const pending: Array<() => void> = [];
    const background: Promise<unknown>[] = [];
    const push = new CoalescingPush({
      send: () => {
        sent.push(value);
        return new Promise<void>((resolve) => pending.push(resolve));
      },
      background: (p) => void background.push(p),
      failed: () => undefined,
    });
    value = 1;
    push.request();
    value = 2;
    push.request();
    value = 3;
    push.request();
    expect(sent).toEqual([1]);
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([1, 3]);
    pending.shift()!();
    await Promise.all(background);
    expect(sent).toEqual([1, 3]);
    expect(background).toHaveLength(1);
    // Idle again: the next request sends at once.
    value = 4;
    push.request();
    expect(sent).toEqual([1, 3, 4]);
    pending.shift()!();
    await Promise.all(background);
  });

  it('a failed send is reported and the next request starts a fresh push', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const background: Promise<unknown>[] = [];
    const push = new CoalescingPush({
      send: async () => {
        calls++;
        if (calls === 1) throw new Error('board away');
      },
      background: (p) => void background.push(p),
      failed: (err) => void errors.push(err),
    });
    push.request();
    await Promise.all(background);
    expect(errors).toHaveLength(1);
    push.request();
    await Promise.all(background);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
