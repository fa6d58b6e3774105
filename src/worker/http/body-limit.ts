// Refuses oversize bodies by Content-Length before reading anything (a body cancelled half-read made
// wrangler dev answer 503 on the next request of that connection), then caps what is actually read.
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../shared/errors';

export const MAX_BODY_BYTES = 16 * 1024;

const declared = createMiddleware(async (c, next) => {
  const length = c.req.header('Content-Length');
  if (length !== undefined && Number(length) > MAX_BODY_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `Request body is larger than ${MAX_BODY_BYTES} bytes.`);
  }
  await next();
});

const actual = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError('PAYLOAD_TOO_LARGE', `Request body is larger than ${MAX_BODY_BYTES} bytes.`);
  },
});

export const limitBody = [declared, actual] as const;
