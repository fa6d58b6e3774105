// The bills flush keeps the dashboard's bill counters (bills created, bills completed now) equal to a full
// recount, whatever order snapshots arrive in and however often they are replayed.
import { expect, test } from 'vitest';
import { flushBill, type BillSnapshot } from '../../../src/db/bill-flush';
import { counterMismatches } from '../../../src/db/counters';
import { insertBasics, readCounters } from '../../support/fixtures';
import { describeMatrix } from '../../support/matrix';

const TZ = 'Asia/Kolkata';

function bill(billNo: string, status: BillSnapshot['status'], finalized = false): BillSnapshot {
  return {
    billNo,
    destination: 'Delhi',
    vehicleNo: 'UP32 AB 1234',
    description: null,
    capacity: 2,
    status,
    finalized,
    finalizedAt: finalized ? '2025-03-10T08:00:00.000Z' : null,
    createdBy: 1,
    createdAt: '2025-03-10T05:00:00.000Z',
  };
}

const billCounters = async (db: Parameters<typeof flushBill>[0]) => {
  const c = await readCounters(db);
  return { bills: c.get('bills|all|total') ?? 0, today: c.get('bills|all|2025-03-10') ?? 0, completed: c.get('bills_completed|all|total') ?? 0 };
};

describeMatrix('bill counters', (ctx) => {
  test('created once, completed while completed, replays change nothing', async () => {
    const { db } = ctx();
    await insertBasics(db);
    await flushBill(db, bill('B-1', 'empty'), [], TZ);
    await flushBill(db, bill('B-1', 'empty'), [], TZ);
    expect(await billCounters(db)).toEqual({ bills: 1, today: 1, completed: 0 });

    await flushBill(db, bill('B-1', 'completed'), [], TZ);
    await flushBill(db, bill('B-1', 'completed', true), [], TZ);
    expect(await billCounters(db)).toEqual({ bills: 1, today: 1, completed: 1 });

    await flushBill(db, bill('B-2', 'in_progress'), [], TZ);
    await flushBill(db, bill('B-1', 'in_progress'), [], TZ); // a parent removed after a reopen
    expect(await billCounters(db)).toEqual({ bills: 2, today: 2, completed: 0 });

    await flushBill(db, bill('B-2', 'completed'), [], TZ);
    expect(await billCounters(db)).toEqual({ bills: 2, today: 2, completed: 1 });
    expect(await counterMismatches(db, TZ)).toEqual([]);
  });
});
