// Writes the OpenAPI document to a file (default dist/openapi.json) for the linter in `npm run check`:
// `tsx --import ./scripts/openapi/register.mjs scripts/openapi/write.ts [file]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildOpenApi } from '../../src/worker/openapi/document';

const file = process.argv[2] ?? 'dist/openapi.json';
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log(`wrote ${file}`);
