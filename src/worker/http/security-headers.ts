// Security headers on every Worker response. Static assets are answered by the platform before the Worker
// runs, so src/ui/public/_headers (copied into dist/ui by Vite) carries the same values for them; a test
// keeps the two in step (test/node/logic/security-headers.test.ts).
import { createMiddleware } from 'hono/factory';
import { isLocalRequest } from '../auth/session-refresh';
import type { AppEnv } from '../types';

/** No inline script anywhere (the Vite build emits none); inline styles stay allowed for component style attributes. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // The scanner uses the camera of its own origin; nothing else may.
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export const HSTS = 'max-age=31536000; includeSubDomains';

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
