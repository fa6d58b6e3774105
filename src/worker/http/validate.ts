// zod validation at the HTTP edge, answering INVALID_INPUT with the first problem in words.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { AppError } from '../../shared/errors';

export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : target;
      throw new AppError('INVALID_INPUT', `Invalid ${where}: ${issue?.message ?? 'invalid value'}.`);
    }
  });
}
