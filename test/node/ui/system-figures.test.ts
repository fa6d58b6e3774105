import { describe, expect, it } from 'vitest';
import type { SystemAlert, SystemMinute, SystemView } from '../../../src/ui/api/types';
import { byUrgency, columns, errorPercent, headline, lastComplete } from '../../../src/ui/screens/system/system-figures';

const T0 = Date.parse('2026-12-03T10:00:00.000Z');
const minute = (i: number, over: Partial<SystemMinute> = {}): SystemMinute => ({
  minute: new Date(T0 + i * 60_000).toISOString(),
  scans: 0, linked: 0, duplicate: 0, rejected: 0, httpRequests: 0, http5xx: 0, signInFailures: 0,
  ackP50Ms: null, ackP99Ms: null, openP50Ms: null, openP99Ms: null, flushBacklog: null, flushLagSeconds: null, postgresLatencyMs: null,
  ...over,
});
const view = (minutes: SystemMinute[], alerts: SystemAlert[] = []): SystemView => ({
  at: new Date(T0).toISOString(), minutes, gauges: null, sockets: 0, perArea: [], alerts, webhookConfigured: false, outbox: 0,
});
const alert = (name: string, state: SystemAlert['state']): SystemAlert => ({ name, severity: 'critical', summary: name, state, since: null, value: 0, description: '' });

describe('System screen figures', () => {
  it('reads scans per minute from the last complete minute, not the one just begun', () => {
    const v = view([minute(0, { scans: 3 }), minute(1, { scans: 40, rejected: 2 }), minute(2, { scans: 1 })]);
    expect(lastComplete(v.minutes)?.scans).toBe(40);
    expect(headline(v)).toMatchObject({ scansPerMinute: 40, rejectedPerMinute: 2 });
    expect(headline(view([minute(0, { scans: 5 })])).scansPerMinute).toBe(5);
    expect(headline(view([])).scansPerMinute).toBe(0);
  });

  it('takes latencies from the latest minute that had any, and the 5xx rate and failures over 5 minutes', () => {
    const v = view([
      minute(0, { httpRequests: 100, http5xx: 50, ackP50Ms: 9 }),
      minute(1, { httpRequests: 90, http5xx: 1, signInFailures: 2, ackP50Ms: 4, ackP99Ms: 12 }),
      minute(2, { httpRequests: 10, http5xx: 1, signInFailures: 1 }),
      minute(3), minute(4), minute(5),
    ]);
    const h = headline(v);
    expect(h.ackP50Ms).toBe(4);
    expect(h.ackP99Ms).toBe(12);
    expect(h.openP50Ms).toBeNull();
    // Minutes 1..5: 2 of 100 responses were 5xx; minute 0 is outside the window.
    expect(h.errorRate).toBeCloseTo(0.02);
    expect(h.signInFailures5m).toBe(3);
    expect(headline(view([minute(0)])).errorRate).toBeNull();
  });

  it('gives uPlot columns in Unix seconds with gaps as null', () => {
    const cols = columns([minute(0, { scans: 2, httpRequests: 4, http5xx: 1 }), minute(1)], [(m) => m.scans, errorPercent]);
    expect(cols).toEqual([[T0 / 1000, T0 / 1000 + 60], [2, 0], [25, null]]);
  });

  it('lists firing alerts first, then pending, then the rest, each in rule order', () => {
    const sorted = byUrgency([alert('a', 'ok'), alert('b', 'pending'), alert('c', 'firing'), alert('d', 'ok'), alert('e', 'firing')]);
    expect(sorted.map((a) => a.name)).toEqual(['c', 'e', 'b', 'a', 'd']);
  });
});
