// GET /metrics: the Prometheus text exposition (version 0.0.4) for an existing Prometheus/Grafana to scrape.
// Allowed with `Authorization: Bearer <METRICS_TOKEN>` (a secret set for the scraper) or an admin's session.
// GET /api/system: the same figures as JSON for the System screen (admins), with the last 60 minutes.
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { metricsStore } from '../../durable/stubs';
import { isolateStartedAt } from '../../observability/build';
import { requireRole, requireUser } from '../auth/middleware';
import { settings } from '../../config/settings';
import { validate } from '../http/validate';
import type { AppEnv } from '../types';
import type { SystemView } from '../../shared/api';

/** Constant-time comparison of two strings (length is not secret). */
function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

const metricsAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = settings(c.env).METRICS_TOKEN;
  const header = c.req.header('Authorization');
  if (token && header?.startsWith('Bearer ') && sameSecret(header.slice(7).trim(), token)) {
    await next();
    return;
  }
  // Anything else must be an admin's session (cookie or session bearer token).
  await requireUser(c, async () => {
    await requireRole('admin')(c, next);
  });
});

export const metricsRoutes = new Hono<AppEnv>().get('/', metricsAuth, async (c) => {
  const text = await metricsStore(c.env).prometheus({ revision: settings(c.env).GIT_REVISION, startedAt: isolateStartedAt() });
  return c.body(text, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
});

/** The System screen's figures take no parameters: anything sent is a mistake worth naming (400). */
export const systemQuery = z.strictObject({});

export const systemRoutes = new Hono<AppEnv>().get('/', requireRole('admin'), validate('query', systemQuery), async (c) => {
  return c.json((await metricsStore(c.env).system(60)) satisfies SystemView, 200, { 'Cache-Control': 'no-store' });
});
