// /api/docs: the OpenAPI document as one plain HTML page rendered on the server (no script, no CDN, only an
// inline style, which the CSP allows): per tag, each operation with who may call it, its parameters, request
// body and success answer as JSON Schema; the shared response schemas (components/schemas, which answers
// name by $ref) follow in a section of their own.
import type { OPERATIONS } from './operations';

type Json = Record<string, unknown>;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const block = (v: unknown) => `<pre>${esc(JSON.stringify(v, null, 2))}</pre>`;

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:0 auto;padding:1rem}h2{border-bottom:1px solid #ccc}
section{margin:0 0 1.5rem}code.m{font-weight:700;text-transform:uppercase;margin-right:.5rem}details{margin:.3rem 0}
pre{background:#f5f5f5;padding:.5rem;overflow:auto;max-height:30rem}table{border-collapse:collapse}td,th{padding:.1rem .6rem;text-align:left}`;

export function referenceHtml(doc: Json, operations: typeof OPERATIONS): string {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const components = (doc.components ?? {}) as { parameters?: Record<string, Json>; schemas?: Record<string, Json> };
  // A shared parameter is a $ref into components/parameters: show the parameter itself.
  const param = (p: Json): Json => (typeof p.$ref === 'string' ? (components.parameters?.[p.$ref.split('/').pop()!] ?? p) : p);
  const tags = [...new Set(operations.map((o) => o.tag))];
  const body = tags
    .map((tag) => {
      const ops = operations.filter((o) => o.tag === tag).map((o) => {
        const spec = paths[o.path]![o.method]!;
        const params = (spec.parameters as Json[]).map(param).map((p) => `<tr><td><code>${esc(String(p.name))}</code></td><td>${esc(String(p.in))}</td><td>${p.required ? 'required' : ''}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td></tr>`).join('');
        const who = o.access === 'public' ? 'no sign-in' : o.access === 'user' ? 'any signed-in user' : o.access.join(', ');
        const req = spec.requestBody ? `<details><summary>Request body</summary>${block(spec.requestBody)}</details>` : '';
        const res = `<details><summary>Responses</summary>${block(spec.responses)}</details>`;
        return `<section id="${esc(String(spec.operationId))}"><h3><code class="m">${o.method}</code><code>${esc(o.path)}</code></h3><p>${esc(o.summary)} · <em>${esc(who)}</em></p>${params ? `<table><tr><th>Parameter</th><th>In</th><th></th><th>Schema</th></tr>${params}</table>` : ''}${req}${res}</section>`;
      });
      return `<h2 id="tag-${esc(tag)}">${esc(tag)}</h2>${ops.join('')}`;
    })
    .join('');
  const schemas = Object.entries(components.schemas ?? {})
    .map(([name, schema]) => `<details id="schema-${esc(name)}"><summary><code>#/components/schemas/${esc(name)}</code></summary>${block(schema)}</details>`)
    .join('');
  const info = doc.info as { title: string; version: string; description: string };
  const toc = [...tags.map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`), '<a href="#schemas">schemas</a>'].join(' · ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(info.title)}</title><style>${STYLE}</style></head><body><h1>${esc(info.title)} <small>${esc(info.version)}</small></h1><p>${esc(info.description)} Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p><nav>${toc}</nav>${body}<h2 id="schemas">schemas</h2>${schemas}</body></html>`;
}
