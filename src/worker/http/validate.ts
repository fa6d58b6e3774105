// zod validation at the HTTP edge, answering INVALID_INPUT with the first problem in words.
import { zValidator } from '@hono/zod-validator';
import type { Context, ValidationTargets } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ZodType } from 'zod';
import { AppError } from '../../shared/errors';
import { describeZodError } from '../../shared/validation';

/** What Hono's JSON validator reads as JSON (application/json, application/…+json), parameters aside. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * A JSON route's body must say it is JSON: Hono's validator reads any other body as `{}`, so a body sent as
 * text/plain (what fetch() sends for a string without headers) or with no Content-Type was judged as if
 * empty — a misleading "username: required", or a 200 that ignored it on a route whose fields are all
 * optional. A request with no body and no Content-Type is still an empty object.
 */
function requireJsonBody(c: Context): void {
  const header = c.req.header('Content-Type');
  const mediaType = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (JSON_MEDIA_TYPE.test(mediaType)) return;
  const hasBody = c.req.raw.body !== null && c.req.header('Content-Length') !== '0';
  if (header === undefined && !hasBody) return;
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the body as JSON with Content-Type: application/json (${mediaType ? `not ${mediaType}` : 'none was given'}).`, {
    expected: 'application/json',
  });
}

export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  const check = zValidator(target, schema, (result) => {
    if (!result.success) throw new AppError('INVALID_INPUT', `Invalid ${describeZodError(result.error, target)}.`);
  });
  if (target !== 'json') return check;
  // One middleware, so every route keeps its `validate('json', …)` and its typed `c.req.valid('json')`.
  return createMiddleware(async (c, next) => {
    requireJsonBody(c);
    return check(c, next);
  }) as unknown as typeof check;
}
