// zod validation at the HTTP edge, answering INVALID_INPUT with the first problem in words.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { AppError } from '../../shared/errors';
import { describeZodError } from '../../shared/validation';

export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw new AppError('INVALID_INPUT', `Invalid ${describeZodError(result.error, target)}.`);
  });
}
