// Real responses against the HTTP contract: the response schema of the operation (src/shared/api.ts via
// src/worker/openapi/operations.ts, the table the OpenAPI document is generated from) for a success, the one
// error shape for a 4xx. Used by the role-matrix and fuzz tests, so the document cannot drift from the server.
import { z } from 'zod';
import { errorResponseSchema } from '../../src/shared/api';
import { OPERATIONS, type Operation } from '../../src/worker/openapi/operations';

/** Hono's path (/api/users/:id) as the document writes it (/api/users/{id}). */
export const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)/g, '{$1}');

export function operationFor(method: string, honoPath: string): Operation | undefined {
  const path = openApiPath(honoPath);
  return OPERATIONS.find((o) => o.method === method.toLowerCase() && o.path === path);
}

/** Problems of one answer against the contract, empty when it conforms. */
export function contractProblems(method: string, honoPath: string, res: { status: number; body: unknown; headers: Headers }): string[] {
  const op = operationFor(method, honoPath);
  if (!op) return [`${method} ${honoPath} is not in src/worker/openapi/operations.ts`];
  const type = res.headers.get('content-type') ?? '';
  if (res.status >= 400) {
    if (!type.includes('application/json')) return [`${res.status} is ${type}, not JSON`];
    const parsed = errorResponseSchema.safeParse(res.body);
    return parsed.success ? [] : [`${res.status} body is not ErrorResponse: ${z.prettifyError(parsed.error)}`];
  }
  const expected = op.status ?? 200;
  if (res.status !== expected && !(expected === 101 && res.status === 426)) return [`status ${res.status}, the document says ${expected}`];
  if (op.response === undefined) return [];
  if (typeof op.response === 'string') return type.startsWith(op.response) ? [] : [`content-type ${type}, the document says ${op.response}`];
  const parsed = op.response.safeParse(res.body);
  return parsed.success ? [] : [`${res.status} body does not match the document: ${z.prettifyError(parsed.error)}`];
}
