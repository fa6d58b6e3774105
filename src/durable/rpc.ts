// Results crossing Durable Object RPC. Thrown errors lose their fields on the way across, so domain
// failures travel as values and the Worker maps them to HTTP.
import { AppError, type ErrorBody } from '../shared/errors';

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export function ok<T>(value: T): RpcResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: AppError | ErrorBody): RpcResult<T> {
  return { ok: false, error: error instanceof AppError ? error.toBody() : error };
}
