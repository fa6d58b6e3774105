// The Worker's HTTP surface: one sub-app per resource, mounted under /api, plus health checks.
import { Hono } from 'hono';
import { requireUser } from './auth/middleware';
import { notFound, onError } from './http/errors';
import { originCheck } from './http/origin-check';
import { requestId } from './http/request-id';
import { securityHeaders } from './http/security-headers';
import { adminRoutes } from './routes/admin';
import { areaRoutes } from './routes/areas';
import { authRoutes } from './routes/auth';
import { billRoutes } from './routes/bills';
import { healthRoutes } from './routes/health';
import { liveRoutes } from './routes/live';
import { parentRoutes } from './routes/parents';
import { userRoutes } from './routes/users';
import type { AppEnv } from './types';

const api = new Hono<AppEnv>()
  .use(originCheck)
  .route('/auth', authRoutes)
  .use(requireUser)
  .route('/parents', parentRoutes)
  .route('/live', liveRoutes)
  .route('/bills', billRoutes)
  .route('/admin', adminRoutes)
  .route('/users', userRoutes)
  .route('/areas', areaRoutes);

export const app = new Hono<AppEnv>()
  .use(requestId, securityHeaders)
  .route('/health', healthRoutes)
  .route('/api', api);

app.onError(onError);
app.notFound(notFound);

export type AppType = typeof app;
