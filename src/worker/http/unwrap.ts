// Durable Objects answer domain failures as RpcResult values (errors lose their fields across RPC);
// routes turn them back into AppErrors, which http/errors.ts maps to HTTP.
import { AppError, type ErrorBody } from '../../shared/errors';
import type { RpcResult } from '../../durable/rpc';

export function unwrap<T>(result: RpcResult<T>): T {
  if (result.ok) return result.value;
  throw errorFromBody(result.error);
}

export function errorFromBody(body: ErrorBody): AppError {
  const { code, message, ...details } = body;
  return new AppError(code, message, details);
}
