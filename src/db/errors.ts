// Postgres errors arrive differently per path: drizzle wraps query errors in DrizzleQueryError (the driver's
// error is its `cause`), while batches and raw driver calls throw the driver's error itself. This finds the
// Postgres fields (SQLSTATE code, constraint) whichever way it came.

export interface PgErrorInfo {
  code: string;
  constraint?: string;
  message: string;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
export const CHECK_VIOLATION = '23514';

export function pgErrorOf(error: unknown): PgErrorInfo | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const candidate = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint ?? candidate.constraint_name; // pg/neon vs postgres.js
      return {
        code: candidate.code,
        constraint: typeof constraint === 'string' ? constraint : undefined,
        message: String(candidate.message ?? ''),
      };
    }
    e = candidate.cause;
  }
  return null;
}
