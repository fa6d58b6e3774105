// One JSON line per HTTP request (observability/log.ts) and the request's metrics (observability/metrics.ts):
// both are synchronous here; the metrics reach the MetricsStore from a background flush, never before the answer.
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import { log } from '../../observability/log';
import { metricsSink } from '../../durable/stubs';
import { countMetric, observeMetric } from '../../observability/metrics';
import type { AppEnv } from '../types';

const SIGN_IN_ROUTES = new Set(['/api/auth/login', '/api/auth/token']);

/** The matched route pattern (`/api/parents/:qr/children`), never the raw path: bounded label values. */
export function routeOf(c: Parameters<typeof routePath>[0], status: number): string {
  let route: string;
  try {
    route = routePath(c, c.req.routeIndex);
  } catch {
    route = '';
  }
  if (!route || route.includes('*')) return status === 404 ? 'unmatched' : route || 'unmatched';
  return route;
}

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  const status = c.res.status;
  const route = routeOf(c, status);
  const user = c.get('user');
  const path = new URL(c.req.url).pathname;
  const fields = {
    requestId: c.get('requestId'),
    method: c.req.method,
    route,
    path,
    status,
    durationMs,
    userId: user?.id ?? null,
    role: user?.role ?? null,
    areaId: user?.areaId ?? null,
  };
  if (status >= 500) log.error('request', fields);
  else log.info('request', fields);
  // /health is hit by load balancers constantly and must stay free of I/O: no metrics for it.
  if (path === '/health') return;
  const sink = metricsSink(c.env, (p) => c.executionCtx.waitUntil(p));
  countMetric(sink, 'tracetrack_http_requests_total', { route, method: c.req.method, status: String(status) });
  observeMetric(sink, 'tracetrack_http_request_duration_seconds', { route }, durationMs);
  if (c.req.method === 'POST' && SIGN_IN_ROUTES.has(path)) {
    const result = status === 200 ? 'success' : status === 429 ? 'throttled' : status === 401 || status === 403 ? 'failure' : null;
    if (result) countMetric(sink, 'tracetrack_sign_ins_total', { result });
  }
});
