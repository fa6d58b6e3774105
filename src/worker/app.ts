// The Worker's HTTP surface: one sub-app per resource, mounted under /api, plus health checks.
import { Hono } from 'hono';
import { requireUser } from './auth/middleware';
import { notFound, onError } from './http/errors';
import { originCheck } from './http/origin-check';
import { rejectNulInUrl } from './http/reject-nul';
import { requestId } from './http/request-id';
import { requestLog } from './http/request-log';
import { securityHeaders } from './http/security-headers';
import { serverTiming } from './http/server-timing';
import { adminRoutes } from './routes/admin';
import { areaRoutes } from './routes/areas';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { bagRoutes } from './routes/bags';
import { billRoutes } from './routes/bills';
import { conflictRoutes } from './routes/conflicts';
import { exportRoutes } from './routes/exports';
import { healthRoutes } from './routes/health';
import { importRoutes } from './routes/imports';
import { liveRoutes } from './routes/live';
import { metricsRoutes, systemRoutes } from './routes/metrics';
import { openApiRoutes } from './routes/openapi';
import { parentRoutes } from './routes/parents';
import { reportRoutes } from './routes/reports';
import { returnRoutes } from './routes/returns';
import { scanRoutes } from './routes/scans';
import { statsRoutes } from './routes/stats';
import { userRoutes } from './routes/users';
import type { AppEnv } from './types';

const api = new Hono<AppEnv>()
  .use(originCheck)
  .route('/auth', authRoutes)
  // The contract itself (GET /api/openapi.json, /api/docs): shapes only, no sign-in.
  .route('/', openApiRoutes)
  .use(requireUser)
  .route('/parents', parentRoutes)
  .route('/live', liveRoutes)
  .route('/bills', billRoutes)
  .route('/returns', returnRoutes)
  .route('/admin', adminRoutes)
  .route('/users', userRoutes)
  .route('/areas', areaRoutes)
  .route('/imports', importRoutes)
  // The read side (Postgres): lookup, lists, dashboard, reports, exports.
  .route('/bags', bagRoutes)
  .route('/scans', scanRoutes)
  .route('/audit', auditRoutes)
  .route('/stats', statsRoutes)
  .route('/conflicts', conflictRoutes)
  .route('/reports', reportRoutes)
  .route('/export', exportRoutes)
  .route('/system', systemRoutes);

export const app = new Hono<AppEnv>()
  .use(serverTiming, requestId, requestLog, securityHeaders, rejectNulInUrl)
  .route('/health', healthRoutes)
  .route('/metrics', metricsRoutes)
  .route('/api', api);

app.onError(onError);
app.notFound(notFound);

export type AppType = typeof app;
