import { createMiddleware } from 'hono/factory';
import { requestId as honoRequestId } from 'hono/request-id';
import type { AppEnv } from '../types';

const honoMiddleware = honoRequestId({ limitLength: 64 });

/**
 * Every request gets an id (Hono's request-id middleware: a caller's `X-Request-Id` of word characters, `-`
 * and `=` up to 64 long is kept, else a UUID), echoed in `X-Request-Id` on every response, error answers and
 * WebSocket upgrades included. It is in the request's log line, passed into the object calls the request
 * makes and stored in the audit rows it causes (docs/OPERATIONS.md "Reading the logs for one scan").
 */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  await honoMiddleware(c, next);
  try {
    c.res.headers.set('X-Request-Id', c.get('requestId'));
  } catch {
    // A relayed response with immutable headers: the id was set on the context's headers already.
  }
});
