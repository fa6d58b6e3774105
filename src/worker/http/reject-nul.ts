// Postgres text cannot hold a NUL character, so a %00 anywhere in the address (a path parameter or a query
// filter) could only end as a database error. Refused here, before any object or database call.
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors';
import type { AppEnv } from '../types';

export const rejectNulInUrl = createMiddleware<AppEnv>(async (c, next) => {
  if (/%00/i.test(c.req.url)) {
    throw new AppError('INVALID_INPUT', 'The address contains a NUL character (%00), which no parameter accepts.');
  }
  await next();
});
