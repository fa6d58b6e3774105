import { app } from './app';

export { ParentSession, QrRegistry, LiveBoard, FlushMonitor } from '../durable';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
