import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../types';

/** Every request gets an id (echoed in X-Request-Id) that ties error answers to log lines. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header('X-Request-Id');
  const id = incoming && /^[\w.-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  c.set('requestId', id);
  await next();
  c.res.headers.set('X-Request-Id', id);
});
