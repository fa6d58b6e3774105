import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { queryRows, runAtomic, runAtomicRows } from '../../../src/db/client';
import { describeMatrix } from '../../support/matrix';

describeMatrix('runAtomic', (ctx) => {
  test("returns each statement's rows in order, statements without rows included", async () => {
    const { db } = ctx();
    const results = await runAtomic(db, [
      sql`SELECT ${'a'}::text AS v`,
      sql`INSERT INTO areas (name) VALUES (${'Atomic A'})`,
      sql`SELECT name FROM areas WHERE name = ${'Atomic A'}`,
      sql`SELECT ${3}::int + ${4}::int AS n`,
    ]);
    expect(results).toHaveLength(4);
    expect(results[0]).toEqual([{ v: 'a' }]);
    expect(results[1]).toEqual([]);
    expect(results[2]).toEqual([{ name: 'Atomic A' }]);
    expect(results[3]).toEqual([{ n: 7 }]);
  });

  test('runAtomicRows: the rows of every statement in order, one implicit transaction', async () => {
    const { db } = ctx();
    const rows = await runAtomicRows(db, [
      sql`INSERT INTO areas (name) VALUES (${'Rows A'})`,
      sql`SELECT name FROM areas WHERE name = ${'Rows A'}`,
      sql`INSERT INTO areas (name) VALUES (${'Rows B'})`,
      sql`SELECT ${3}::int + ${4}::int AS n`,
    ]);
    expect(rows).toEqual([{ name: 'Rows A' }, { n: 7 }]);
    expect(await runAtomicRows(db, [sql`SELECT ${'one'}::text AS v`])).toEqual([{ v: 'one' }]);
    expect(await runAtomicRows(db, [sql`INSERT INTO areas (name) VALUES (${'Rows C'})`])).toEqual([]);
  });

  test('a value written to break out of its literal is stored as it was given', async () => {
    const { db } = ctx();
    const nasty = ["x'); DELETE FROM areas; --", "back\\slash\\'quote", "E'\\x41'", '$1 $$ $tag$', 'ünï ✓'];
    for (const name of nasty) await runAtomicRows(db, [sql`SELECT ${'x'}::text`, sql`INSERT INTO areas (name) VALUES (${name})`]);
    const rows = await queryRows<{ name: string }>(db, sql`SELECT name FROM areas WHERE name = ANY(${`{${nasty.map((n) => `"${n.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`}::text[])`);
    expect(rows.map((r) => r.name).sort()).toEqual([...nasty].sort());
  });

  test('a failing statement leaves nothing behind, and the connection works afterwards', async () => {
    const { db } = ctx();
    await expect(
      runAtomicRows(db, [sql`INSERT INTO areas (name) VALUES (${'Rolled back'})`, sql`SELECT 1 / ${0}::int`, sql`INSERT INTO areas (name) VALUES (${'Never'})`]),
    ).rejects.toThrow(/division by zero/);
    expect(await queryRows(db, sql`SELECT name FROM areas WHERE name IN ('Rolled back', 'Never')`)).toEqual([]);
    // Not left inside an aborted transaction (25P02 on the next statement).
    expect(await runAtomicRows(db, [sql`SELECT ${'ok'}::text AS v`])).toEqual([{ v: 'ok' }]);
    expect(await runAtomic(db, [sql`SELECT ${'ok'}::text AS v`])).toEqual([[{ v: 'ok' }]]);
  });
});
