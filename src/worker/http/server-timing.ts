// SERVER_TIMING=true: the `Server-Timing` header on every answer (observability/stage-timing.ts). Mounted
// first, so `app` is the whole Worker-side time of the request.
import { createMiddleware } from 'hono/factory';
import { settings } from '../../config/settings';
import { StageTimes, withStageTimes } from '../../observability/stage-timing';
import type { AppEnv } from '../types';

export const serverTiming = createMiddleware<AppEnv>(async (c, next) => {
  if (!settings(c.env).SERVER_TIMING) return next();
  const times = new StageTimes();
  const started = performance.now();
  await withStageTimes(times, () => next());
  times.add('app', performance.now() - started);
  try {
    c.res.headers.set('Server-Timing', times.header());
  } catch {
    // A relayed response with immutable headers (a WebSocket upgrade): no timing for it.
  }
});
