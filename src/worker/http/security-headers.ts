// Security headers on every Worker response. Static assets are answered by the platform before the Worker
// runs, so src/ui/public/_headers (copied into dist/ui by Vite) carries the same values for them; a test
// keeps the two in step (test/node/logic/security-headers.test.ts).
import { createMiddleware } from 'hono/factory';
import { isLocalRequest } from '../auth/session-refresh';
import type { AppEnv } from '../types';
import { HSTS, STATIC_SECURITY_HEADERS } from './security-policy';

export { CONTENT_SECURITY_POLICY, HSTS, STATIC_SECURITY_HEADERS } from './security-policy';

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const set = (name: string, value: string) => {
    try {
      c.res.headers.set(name, value);
    } catch {
      // immutable headers (a relayed upgrade answer)
    }
  };
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) set(name, value);
  // Browsers ignore HSTS over plain http, and on localhost it would pin developers' other local apps to https.
  if (!isLocalRequest(c.req.url)) set('Strict-Transport-Security', HSTS);
  // API answers are per user: never cached by shared caches.
  if (new URL(c.req.url).pathname.startsWith('/api/')) set('Cache-Control', 'no-store');
});
