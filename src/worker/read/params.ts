// Query-string pieces shared by the read routes (lists, exports, reports), validated with zod.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { normalizeQr } from '../../shared/qr';

export const idParam = (name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).int(`${name} must be a whole number`).positive(`${name} must be positive`).max(2_147_483_647);

/** `true`/`false` (also 1/0, yes/no) from a query string. */
export const boolParam = (name: string) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: `${name} must be true or false` })
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A calendar date YYYY-MM-DD (a day in the deployment's time zone). */
export const dateParam = z.iso.date({ error: 'expected a date YYYY-MM-DD' });

/** A point in time: ISO-8601 with offset, or a date (a local day: `from` its start, `to` its end). */
export const timeParam = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'expected an ISO-8601 time or a date YYYY-MM-DD' });

/** A QR from a query string, normalized like everywhere else; length-capped so junk stays cheap. */
export const qrParam = z.string().max(64, 'QR is at most 64 characters').transform(normalizeQr);

/**
 * SQL for a time bound. A bare date is a whole local day in `timeZone`: `from` → its midnight,
 * `to` → the next midnight (exclusive), so `from=d&to=d` is that day.
 */
export function timeBound(value: string, edge: 'from' | 'to', timeZone: string): SQL {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const days = edge === 'to' ? 1 : 0;
    return sql`((${value}::date + ${days}::int)::timestamp AT TIME ZONE ${timeZone}::text)`;
  }
  return sql`${value}::timestamptz`;
}

/** Local days [from, to] of `column` in `timeZone`, both YYYY-MM-DD: a range the time indexes serve. */
export function dayRange(column: SQL, from: string, to: string, timeZone: string): SQL {
  return sql`${column} >= ${timeBound(from, 'from', timeZone)} AND ${column} < ${timeBound(to, 'to', timeZone)}`;
}

/** `column >= from AND column < to` (to exclusive for dates, inclusive for exact times), for the bounds given. */
export function timeRange(column: SQL, from: string | undefined, to: string | undefined, timeZone: string): SQL[] {
  const out: SQL[] = [];
  if (from !== undefined) out.push(sql`${column} >= ${timeBound(from, 'from', timeZone)}`);
  if (to !== undefined) {
    const op = /^\d{4}-\d{2}-\d{2}$/.test(to) ? sql.raw('<') : sql.raw('<=');
    out.push(sql`${column} ${op} ${timeBound(to, 'to', timeZone)}`);
  }
  return out;
}

/** A user-typed search term for LIKE, with LIKE's own wildcards escaped. */
export function likeContains(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
