// vitest 5 loads global setup files through the project's Vite resolver, which the Workers plugin points at the
// `workerd` export conditions; postgres.js then resolves to its Cloudflare build and fails on `cloudflare:sockets`
// (workers-sdk issue #6465). The setup runs in Node, so it is loaded here with Node's own resolution: tsx,
// itself required natively so that Vite does not transform it either.
import { createRequire } from 'node:module';
import type { TestProject } from 'vitest/node';

type Setup = (project: TestProject) => Promise<() => Promise<void>>;
const { tsImport } = createRequire(import.meta.url)('tsx/esm/api') as typeof import('tsx/esm/api');

export default async function setup(project: TestProject) {
  const loaded = (await tsImport('./global-setup.ts', import.meta.url)) as { default: Setup };
  return loaded.default(project);
}
