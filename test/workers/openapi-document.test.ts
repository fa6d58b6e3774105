// The OpenAPI document's shared parts: response schemas and repeated parameters stand once under components
// and operations refer to them; every reference resolves, and the reference page shows the shared parts.
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../src/worker/openapi/document';
import { OPERATIONS } from '../../src/worker/openapi/operations';
import { referenceHtml } from '../../src/worker/openapi/reference-html';

type Json = Record<string, unknown>;

function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refs(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x);
      else refs(x, out);
    }
  }
  return out;
}

function resolve(doc: Json, ref: string): unknown {
  return ref.replace(/^#\//, '').split('/').reduce<unknown>((at, key) => (at as Json | undefined)?.[key], doc);
}

describe('OpenAPI document', () => {
  const doc = buildOpenApi('test');
  const components = doc.components as { schemas: Record<string, Json>; parameters: Record<string, Json> };
  const operations = Object.values(doc.paths as Record<string, Record<string, Json>>).flatMap((m) => Object.values(m));

  it('resolves every $ref, and every shared schema is referred to', () => {
    const all = refs(doc);
    expect(all.filter((r) => resolve(doc, r) === undefined)).toEqual([]);
    const used = new Set(all);
    expect(Object.keys(components.schemas).filter((id) => !used.has(`#/components/schemas/${id}`))).toEqual([]);
  });

  it('answers with named schemas by reference, and writes each of them once', () => {
    const inline = operations.flatMap((op) => {
      const ok = Object.entries(op.responses as Record<string, Json>).find(([code]) => code.startsWith('2'))?.[1] as { content?: Record<string, { schema: Json }> } | undefined;
      const schema = ok?.content?.['application/json']?.schema;
      // Text answers (CSV, HTML, this document itself) are a plain string schema.
      return schema && Object.keys(schema).length > 0 && !schema.$ref && schema.type !== 'string' ? [String(op.operationId)] : [];
    });
    expect(inline).toEqual([]);
    expect(components.schemas.BillView).toBeDefined();
    // The bill view's own fields (actualWeightKg is only in it) stand once in the whole document.
    expect(JSON.stringify(doc).match(/"actualWeightKg":\{"anyOf"/g)?.length).toBe(1);
    expect(refs(components.schemas.BillResponse)).toEqual(['#/components/schemas/BillView']);
  });

  it('declares a parameter several operations share once', () => {
    expect(components.parameters.QueryCursor).toMatchObject({ name: 'cursor', in: 'query' });
    const shared = JSON.stringify(components.parameters.QueryCursor);
    const inlineCopies = operations.flatMap((op) => (op.parameters as Json[]).filter((p) => JSON.stringify(p) === shared));
    expect(inlineCopies).toEqual([]);
    expect(operations.filter((op) => (op.parameters as Json[]).some((p) => p.$ref === '#/components/parameters/QueryCursor')).length).toBeGreaterThan(1);
  });

  it('renders shared parameters and schemas on the reference page', () => {
    const html = referenceHtml(doc, OPERATIONS);
    expect(html).not.toContain('<code>undefined</code>');
    expect(html).toContain('id="schema-BillView"');
    expect(html).toMatch(/<td><code>cursor<\/code><\/td><td>query<\/td>/);
  });
});
