import { app } from './app';

export { ParentSession, QrRegistry, LiveBoard, FlushMonitor, FlushQueue, RateLimiter, SessionRevocations, BillSession } from '../durable';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
