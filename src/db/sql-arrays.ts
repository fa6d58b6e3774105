// Bulk rows travel as Postgres array literals: one text parameter per column, expanded server-side by
// unnest($1::text[], $2::int[], ...). One statement then carries any number of rows without nearing the
// 65,535 bind-parameter limit, and both drivers send the same thing (drizzle would otherwise expand a JS
// array into a list of parameters, and postgres.js cannot type an array parameter with fetch_types off).
import { sql, type SQL } from 'drizzle-orm';

export type ArrayElement = string | number | boolean | null;

function element(value: ArrayElement): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`pgArray: not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  // Quoting every string keeps "NULL", empty strings, commas and braces literal.
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A one-dimensional Postgres array literal, e.g. {"A","B",NULL}. */
export function pgArray(values: readonly ArrayElement[]): string {
  return `{${values.map(element).join(',')}}`;
}

/** One bound parameter holding a whole column, cast to the given array type (e.g. 'text[]', 'int4[]'). */
export function arrayParam(values: readonly ArrayElement[], pgType: string): SQL {
  if (!/^[a-z0-9_]+\[\]$/.test(pgType)) throw new Error(`arrayParam: bad type ${pgType}`);
  return sql`${pgArray(values)}::${sql.raw(pgType)}`;
}

/** Splits rows into chunks so no single statement grows without bound. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
