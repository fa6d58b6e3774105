// Bound parameters written into the statement text as string literals, so a statement can travel in the
// simple query protocol. Why: postgres.js sends a statement with parameters and no prepared-statement cache
// (our clients are short-lived and PgBouncer/Hyperdrive-safe, `prepare: false`) as Parse/Describe first and
// Bind/Execute only after the server answered, i.e. two round trips each and never pipelined; simple
// queries pipeline, so a whole transaction goes out in one write (client.ts runAtomic).
//
// Every value becomes an escape-string literal E'…' with backslashes and quotes doubled: its meaning does not
// depend on standard_conforming_strings, and like a parameter it is an untyped value that the statement's own
// casts (`$1::text[]`) or context type. Values of other kinds (objects, dates, buffers) are not inlined: the
// caller keeps the extended protocol for those.

export type InlineValue = string | number | bigint | boolean | null;

function literal(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? "E't'" : "E'f'";
  if (typeof value === 'bigint') return `E'${value.toString()}'`;
  if (typeof value === 'number') return Number.isFinite(value) ? `E'${String(value)}'` : undefined;
  if (typeof value !== 'string') return undefined;
  // Postgres text cannot hold NUL; let the extended protocol report that as it always did.
  if (value.includes('\0')) return undefined;
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The statement with `$1`…`$n` replaced by literals of `params`, or null when a value cannot be inlined or
 * the text has a `$` that is not a placeholder of `params` (dollar quoting, a placeholder out of range): our
 * statements have neither, and anything unexpected goes the old way rather than being guessed at.
 */
export function inlineParams(text: string, params: readonly unknown[]): string | null {
  const literals: string[] = [];
  for (const p of params) {
    const l = literal(p);
    if (l === undefined) return null;
    literals.push(l);
  }
  let unexpected = false;
  const out = text.replace(/\$(\d+)(?![\d$])|\$/g, (match, n: string | undefined) => {
    const i = n === undefined ? -1 : Number(n) - 1;
    if (i < 0 || i >= literals.length) {
      unexpected = true;
      return match;
    }
    return literals[i]!;
  });
  return unexpected ? null : out;
}
