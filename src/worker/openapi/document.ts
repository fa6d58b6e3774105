// The OpenAPI 3.1 document, generated from the operation table (request schemas the routes validate with,
// response schemas of src/shared/api.ts) with zod's own JSON Schema output (draft 2020-12, which OpenAPI 3.1
// uses). Built once per isolate, on first request.
import { z } from 'zod';
import { errorResponseSchema } from '../../shared/api';
import { OPERATIONS, type Operation } from './operations';

type Json = Record<string, unknown>;

const TAGS: Record<string, string> = {
  health: 'Liveness, health details and metrics',
  contract: 'This document and its reference page',
  auth: 'Sign-in, sessions, own password and TOTP',
  parents: 'Parent bags and child scans (the scanner)',
  live: "Supervisors' live board",
  bills: 'Bills: parents onto trucks, weights, finalize',
  returns: 'Return tickets: parents sent back, taken off their bills',
  read: 'Lists, lookup, dashboard (read from Postgres)',
  reports: 'Reports over a day or a date range',
  exports: 'CSV downloads with the list filters',
  admin: 'Areas, users, imports and operations',
};

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
};

function parameters(op: Operation): Json[] {
  const path = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (!op.query) return path;
  const q = toSchema(op.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
  const query = Object.entries(q.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: (q.required ?? []).includes(name), schema }));
  return [...path, ...query];
}

function security(op: Operation): Json {
  if (op.access === 'public') return { security: [] };
  const roles = op.access === 'user' ? 'any signed-in user' : op.access.join(', ');
  return { security: [{ session: [] }, { bearer: [] }], 'x-roles': op.access === 'user' ? ['any'] : [...op.access], description: `Allowed: ${roles}.` };
}

function responses(op: Operation): Json {
  const status = String(op.status ?? 200);
  const ok: Json =
    status === '204' || status === '101'
      ? { description: status === '101' ? 'Switching protocols (WebSocket)' : 'No content' }
      : typeof op.response === 'string'
        ? { description: 'OK', content: { [op.response]: { schema: { type: 'string' } } } }
        : { description: 'OK', content: { 'application/json': { schema: op.response ? toSchema(op.response, 'output') : {} } } };
  const error = { $ref: '#/components/responses/Error' };
  return { [status]: ok, '400': error, ...(op.access === 'public' ? {} : { '401': error, '403': error }), default: error };
}

function operationId(op: Operation): string {
  const words = op.path.replace(/^\/(api\/)?/, '').split(/[/.{}-]+/).filter(Boolean);
  return [op.method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

export function buildOpenApi(revision = 'dev'): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: operationId(op),
      summary: op.summary,
      tags: [op.tag],
      ...security(op),
      parameters: parameters(op),
      ...(op.body ? { requestBody: { required: op.method !== 'post' || !op.path.endsWith('/undo'), content: { 'application/json': { schema: toSchema(op.body, 'input') } } } } : {}),
      responses: responses(op),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'TraceTrack API',
      version: revision,
      description: 'Bag tracking for warehouses. Generated from the zod schemas the Worker validates and answers with (src/shared/api.ts). Errors are {"error":{"code","message",…}}.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name, description: TAGS[name] ?? name })),
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'tt_session', description: 'Session cookie from POST /api/auth/login' },
        bearer: { type: 'http', scheme: 'bearer', description: 'Token from POST /api/auth/token' },
      },
      responses: { Error: { description: 'A JSON error naming the problem', content: { 'application/json': { schema: toSchema(errorResponseSchema, 'output') } } } },
    },
  };
}

let cached: Json | null = null;
export function openApiDocument(revision?: string): Json {
  cached ??= buildOpenApi(revision);
  return cached;
}
