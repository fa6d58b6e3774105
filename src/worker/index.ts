import { app } from './app';

export { ParentSession, QrRegistry, LiveBoard, FlushMonitor, FlushQueue, RateLimiter, SessionRevocations, PgReader } from '../durable';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
