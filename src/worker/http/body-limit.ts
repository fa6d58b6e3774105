// Refuses oversize bodies by Content-Length before reading anything (a body cancelled half-read made
// wrangler dev answer 503 on the next request of that connection), then caps what is actually read.
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../shared/errors';

export const MAX_BODY_BYTES = 16 * 1024;

/** The two middlewares for a body limit of `maxBytes` (routes with larger bodies, e.g. import batches). */
export function limitBodyTo(maxBytes: number) {
  const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `Request body is larger than ${maxBytes} bytes.`);
  const declared = createMiddleware(async (c, next) => {
    const length = c.req.header('Content-Length');
    if (length !== undefined && Number(length) > maxBytes) throw tooLarge();
    await next();
  });
  const actual = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return [declared, actual] as const;
}

export const limitBody = limitBodyTo(MAX_BODY_BYTES);
