// `npm run registry:rebuild`: re-derives the sharded QR registry from Postgres, the system of record
// (disaster recovery, bulk imports). Pages through every bag via the admin API of a running deployment.
//   TRACETRACK_URL=http://localhost:8787 ADMIN_USERNAME=admin ADMIN_PASSWORD=… [REGISTRY_PAGE=10000] npm run registry:rebuild
// The restore drill (scripts/dr/drill.ts) calls the same function.
import { isMain, runMain } from './db/cli';
import { MAX_REGISTRY_PAGE } from '../src/db/registry';

/** QRs a page: the most the route takes. Each page costs one audit row and one call per shard, whatever its size. */
export const REGISTRY_PAGE = MAX_REGISTRY_PAGE;

export async function rebuildRegistry(
  baseUrl: string,
  username: string,
  password: string,
  log = console.log,
  pageSize = Number(process.env.REGISTRY_PAGE ?? REGISTRY_PAGE),
): Promise<number> {
  const login = await fetch(`${baseUrl}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`Sign-in as ${username} failed (${login.status}): ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  let cursor: string | null = null;
  let total = 0;
  const started = Date.now();
  do {
    const res = await fetch(`${baseUrl}/api/admin/registry/rebuild`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ cursor, limit: pageSize }),
    });
    if (!res.ok) throw new Error(`Rebuild page after ${cursor ?? 'the start'} failed (${res.status}): ${await res.text()}`);
    const page = (await res.json()) as { imported: number; nextCursor: string | null };
    total += page.imported;
    cursor = page.nextCursor;
    if (total % (pageSize * Math.max(1, Math.round(100_000 / pageSize))) === 0 || !cursor) log(`  ${total} QRs imported (${Math.round(total / ((Date.now() - started) / 1000 || 1))}/s)`);
  } while (cursor);
  return total;
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const url = process.env.TRACETRACK_URL ?? 'http://localhost:8787';
    const username = process.env.ADMIN_USERNAME ?? 'admin';
    const password = process.env.ADMIN_PASSWORD ?? (url.includes('localhost') ? 'tracetrack-dev' : undefined);
    if (!password) throw new Error('Set ADMIN_PASSWORD (the demo password is only assumed for localhost).');
    console.log(`Rebuilding the QR registry of ${url} from Postgres…`);
    const total = await rebuildRegistry(url, username, password);
    console.log(`Done: ${total} QRs in the registry.`);
  });
}
