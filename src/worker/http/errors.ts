// One place that turns failures into the contract's `{"error":{code,message,…}}` JSON.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, ERROR_STATUS, type ErrorBody } from '../../shared/errors';
import { pgErrorOf } from '../../db/errors';
import { DatabaseUnavailableError } from '../../db/with-db.workerd';
import { SettingsError } from '../../config/settings';

export function errorResponse(c: Context, body: ErrorBody, headers?: Record<string, string>): Response {
  const status = ERROR_STATUS[body.code] as ContentfulStatusCode;
  return c.json({ error: body }, status, headers);
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    const retry = err.details.retryAfterSeconds;
    return errorResponse(c, err.toBody(), typeof retry === 'number' ? { 'Retry-After': String(retry) } : undefined);
  }
  if (err instanceof HTTPException) {
    // Hono raises these for malformed JSON and similar client mistakes.
    if (err.status === 413) return errorResponse(c, { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large.' });
    if (err.status < 500) return errorResponse(c, { code: 'INVALID_INPUT', message: err.message || 'Invalid request.' });
  }
  if (err instanceof DatabaseUnavailableError) {
    console.error(err.message);
    return errorResponse(c, { code: 'UNAVAILABLE', message: 'The database is unavailable; try again shortly.' }, { 'Retry-After': '5' });
  }
  if (err instanceof SyntaxError) return errorResponse(c, { code: 'INVALID_INPUT', message: 'Request body is not valid JSON.' });
  if (isUnstorableText(err)) {
    return errorResponse(c, { code: 'INVALID_INPUT', message: 'A text field contains a character that cannot be stored (NUL, \\u0000).' });
  }
  const requestId = c.get('requestId' as never) as string | undefined;
  if (err instanceof SettingsError) console.error(err.message);
  else console.error('unhandled error', requestId, err);
  // Never a stack trace or SQL text to the client; the request id finds the log line.
  return errorResponse(c, { code: 'INTERNAL', message: 'Something went wrong on our side.', requestId });
}

/**
 * Postgres refuses NUL in text (22021) and \\u0000 in jsonb (22P05). A body string carrying one is the client's
 * mistake, found only when the statement runs (which then changed nothing): a 400, not a 500. The PgReader
 * path carries only the message, hence the message test beside the SQLSTATE.
 */
function isUnstorableText(err: unknown): boolean {
  const code = pgErrorOf(err)?.code;
  if (code === '22021' || code === '22P05') return true;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; depth++, e = e.cause) {
    if (/invalid byte sequence for encoding "UTF8": 0x00|unsupported Unicode escape sequence/.test(e.message)) return true;
  }
  return false;
}

export function notFound(c: Context): Response {
  return errorResponse(c, { code: 'NOT_FOUND', message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}.` });
}
