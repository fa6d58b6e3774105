import { parse } from 'csv-parse/sync';
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { decodeCursor, encodeCursor, pageQuery, type KeysetList } from '../../../src/db/list';
import { csvLines, safeCell, attachmentName } from '../../../src/worker/http/csv';

const key = z.tuple([z.string(), z.number()]);

describe('cursor', () => {
  test('round-trips a key, including non-ASCII text', () => {
    const cursor = encodeCursor(['2025-01-01T00:00:00.000001Z', 42]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, key)).toEqual(['2025-01-01T00:00:00.000001Z', 42]);
    expect(decodeCursor(encodeCursor(['ü✓', 1]), key)).toEqual(['ü✓', 1]);
  });

  test('rejects anything else with INVALID_INPUT', () => {
    for (const bad of ['', '!!', 'abc', encodeCursor(['x']), encodeCursor(['x', 'y']), btoa('not json').replace(/=/g, '')]) {
      expect(() => decodeCursor(bad, key), bad).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

describe('pageQuery', () => {
  const spec: KeysetList<{ a: string; b: number }, [string, number]> = {
    select: sql`SELECT a, b FROM t`,
    filters: [sql`x = ${1}`, undefined],
    order: [sql`a`, sql`b`],
    direction: 'desc',
    cursorSchema: key,
    keyOf: (r) => [r.a, r.b],
    keyCasts: ['timestamptz', 'int8'],
  };
  test('filters, then the row comparison after the key, the order and limit + 1 from fetchPage', () => {
    const q = new PgDialect().sqlToQuery(pageQuery(spec, ['k', 7], 51));
    expect(q.sql).toBe('SELECT a, b FROM t WHERE (x = $1) AND ((a, b) < ($2::timestamptz, $3::int8)) ORDER BY a DESC, b DESC LIMIT $4');
    expect(q.params).toEqual([1, 'k', 7, 51]);
    const first = new PgDialect().sqlToQuery(pageQuery({ ...spec, filters: [], direction: 'asc' }, null, 10));
    expect(first.sql).toBe('SELECT a, b FROM t ORDER BY a ASC, b ASC LIMIT $1');
  });
});

describe('CSV', () => {
  test('neutralises formula-like text but not numbers', () => {
    expect(['=1+2', '+1', '-x', '@a', '\tt', '\rr', 'ok', "'q"].map(safeCell)).toEqual(["'=1+2", "'+1", "'-x", "'@a", "'\tt", "'\rr", 'ok', "'q"]);
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell(null)).toBe('');
    expect(safeCell(true)).toBe('true');
  });

  test('quotes separators, quotes and line breaks so a parser gets the cells back', () => {
    const values = ['a,b', 'say "hi"', 'l1\nl2', 'l1\r\nl2', 'lone\rcr', ''];
    const text = csvLines([{ header: 'v', value: (r: string) => r }], values, true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parse(text)).toEqual([['v'], ...values.map((v) => [v])]);
  });

  test('file names are safe for Content-Disposition', () => {
    expect(attachmentName('bill-"x"\r\n;.csv')).toBe('bill-_x____.csv');
  });
});
