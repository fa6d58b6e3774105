import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, test } from 'vitest';
import { driverFor, isNeonUrl } from '../../../src/db/client';
import { arrayParam, chunk, pgArray } from '../../../src/db/sql-arrays';

describe('array parameters', () => {
  test('a whole column is one bound parameter, whatever its length', () => {
    const values = Array.from({ length: 70_000 }, (_, i) => `Q${i}`);
    const q = new PgDialect().sqlToQuery(sql`SELECT * FROM unnest(${arrayParam(values, 'text[]')})`);
    expect(q.params).toHaveLength(1);
    expect(q.sql).toBe('SELECT * FROM unnest($1::text[])');
  });

  test('literals quote strings and spell NULL', () => {
    expect(pgArray(['a"b', 'c\\d', null, 'NULL', 3, true])).toBe('{"a\\"b","c\\\\d",NULL,"NULL",3,t}');
    expect(() => arrayParam(['x'], 'text[]; drop table bags')).toThrow();
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  test('driver choice: Neon hosts and any URL with a Neon endpoint go over HTTP', () => {
    expect(isNeonUrl('postgres://u:p@ep-x-123.eu-central-1.aws.neon.tech/db')).toBe(true);
    expect(driverFor({ DATABASE_URL: 'postgres://u:p@ep-x.neon.tech/db' })).toBe('neon-http');
    expect(driverFor({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5433/postgres' })).toBe('postgres-js');
    expect(driverFor({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5433/postgres', NEON_HTTP_ENDPOINT: 'http://127.0.0.1:1/sql' })).toBe('neon-http');
    expect(driverFor({ DATABASE_URL: 'postgres://u:p@neon.tech.evil.example/db' })).toBe('postgres-js');
  });
});
