import type { FlushMonitor } from './flush-monitor';

export function monitorFor(env: Env): DurableObjectStub<FlushMonitor> {
  return env.FLUSH_MONITOR.get(env.FLUSH_MONITOR.idFromName('global'));
}
