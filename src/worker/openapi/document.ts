// The OpenAPI 3.1 document, generated from the operation table (request schemas the routes validate with,
// response schemas of src/shared/api.ts) with zod's own JSON Schema output (draft 2020-12, which OpenAPI 3.1
// uses). Built once per isolate, on first request.
//
// Every named response schema of src/shared/api.ts is one entry of components/schemas (named after its
// export: billViewSchema → BillView) and is referenced with $ref wherever an answer holds it, so a bill's
// shape stands once, not in each of the seven operations that answer with it. Request bodies and query
// parameters stay inline: each belongs to one route.
import { z } from 'zod';
import * as api from '../../shared/api';
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

const SCHEMAS = '#/components/schemas/';

/** The response schemas by component name, in the order src/shared/api.ts exports them. */
function namedResponseSchemas(): z.core.$ZodRegistry<{ id: string }> {
  const registry = z.registry<{ id: string }>();
  for (const [name, value] of Object.entries(api)) {
    if (!name.endsWith('Schema') || !(value instanceof z.ZodType) || registry.has(value)) continue;
    const id = name[0]!.toUpperCase() + name.slice(1, -'Schema'.length);
    registry.add(value, { id });
  }
  return registry;
}

/** components/schemas (output side, each with $ref to the others it holds) and a way to refer to one. */
function responseComponents() {
  const registry = namedResponseSchemas();
  const { schemas } = z.toJSONSchema(registry, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12', uri: (id) => SCHEMAS + id }) as { schemas: Record<string, Json> };
  // Schemas used twice inside one entry but not named would land in a `__shared` entry that nothing here
  // refers to: fail the build rather than serve a document with dangling references.
  if ('__shared' in schemas) throw new Error('openapi: a response schema shares an unnamed part; export it from src/shared/api.ts');
  const components: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema;
    components[id] = rest;
  }
  const ref = (schema: z.ZodType): Json => {
    const id = registry.get(schema)?.id;
    return id ? { $ref: SCHEMAS + id } : toSchema(schema, 'output');
  };
  return { components, ref };
}

/** Only the components some operation reaches (directly or through another component). */
function reachable(components: Record<string, Json>, from: unknown): Record<string, Json> {
  const seen = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith(SCHEMAS)) {
        const id = x.slice(SCHEMAS.length);
        if (!seen.has(id)) {
          seen.add(id);
          walk(components[id]);
        }
      } else walk(x);
    }
  };
  walk(from);
  return Object.fromEntries(Object.entries(components).filter(([id]) => seen.has(id)));
}

function parameters(op: Operation): Json[] {
  const path = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (!op.query) return path;
  const q = toSchema(op.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
  const query = Object.entries(q.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: (q.required ?? []).includes(name), schema }));
  return [...path, ...query];
}

/**
 * A parameter several operations declare alike (a list's cursor and limit, a report's date range, a path's
 * {qr}) becomes one entry of components/parameters, named after where it stands and what it is called
 * (QueryLimit; a second, different `from` is QueryFrom2), and each operation refers to it.
 */
function shareParameters(paths: Record<string, Record<string, Json>>): Record<string, Json> {
  const ops = Object.values(paths).flatMap((byMethod) => Object.values(byMethod));
  const uses = new Map<string, number>();
  for (const op of ops) for (const p of op.parameters as Json[]) uses.set(JSON.stringify(p), (uses.get(JSON.stringify(p)) ?? 0) + 1);
  const names = new Map<string, string>();
  const shared: Record<string, Json> = {};
  for (const [key, n] of uses) {
    if (n < 2) continue;
    const p = JSON.parse(key) as { name: string; in: string };
    const base = `${p.in[0]!.toUpperCase()}${p.in.slice(1)}${p.name[0]!.toUpperCase()}${p.name.slice(1)}`;
    let name = base;
    for (let i = 2; name in shared; i++) name = `${base}${i}`;
    shared[name] = p;
    names.set(key, name);
  }
  for (const op of ops) {
    op.parameters = (op.parameters as Json[]).map((p) => {
      const name = names.get(JSON.stringify(p));
      return name ? { $ref: `#/components/parameters/${name}` } : p;
    });
  }
  return shared;
}

function security(op: Operation): Json {
  if (op.access === 'public') return { security: [] };
  const roles = op.access === 'user' ? 'any signed-in user' : op.access.join(', ');
  return { security: [{ session: [] }, { bearer: [] }], 'x-roles': op.access === 'user' ? ['any'] : [...op.access], description: `Allowed: ${roles}.` };
}

function responses(op: Operation, ref: (schema: z.ZodType) => Json): Json {
  const status = String(op.status ?? 200);
  const ok: Json =
    status === '204' || status === '101'
      ? { description: status === '101' ? 'Switching protocols (WebSocket)' : 'No content' }
      : typeof op.response === 'string'
        ? { description: 'OK', content: { [op.response]: { schema: { type: 'string' } } } }
        : { description: 'OK', content: { 'application/json': { schema: op.response ? ref(op.response) : {} } } };
  const error = { $ref: '#/components/responses/Error' };
  return { [status]: ok, '400': error, ...(op.access === 'public' ? {} : { '401': error, '403': error }), default: error };
}

function operationId(op: Operation): string {
  const words = op.path.replace(/^\/(api\/)?/, '').split(/[/.{}-]+/).filter(Boolean);
  return [op.method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

export function buildOpenApi(revision = 'dev'): Json {
  const { components, ref } = responseComponents();
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
      responses: responses(op, ref),
    };
  }
  const sharedParameters = shareParameters(paths);
  const errorResponse = { Error: { description: 'A JSON error naming the problem', content: { 'application/json': { schema: ref(api.errorResponseSchema) } } } };
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
      parameters: sharedParameters,
      responses: errorResponse,
      schemas: reachable(components, [paths, errorResponse]),
    },
  };
}

let cached: Json | null = null;
export function openApiDocument(revision?: string): Json {
  cached ??= buildOpenApi(revision);
  return cached;
}
