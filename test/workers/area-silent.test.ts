// The area-silent rule's input as the MetricsStore object derives it from its own per-minute scan counters
// (issue 14, the optional rule): an area that scanned 45 minutes ago is silent after 30, one that scanned a
// minute ago is not, and one whose last scan is older than 24 h does not count.
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { MetricsStore } from '../../src/durable/metrics/metrics-store';
import { settings } from '../../src/config/settings';

describe('MetricsStore: areas silent during shift hours', () => {
  it('names the areas whose last scan is at least ALERT_AREA_SILENT_MINUTES old (and younger than 24 h)', async () => {
    const stub = env.METRICS.get(env.METRICS.idFromName('area-silent-test'));
    await runInDurableObject(stub, async (instance: MetricsStore) => {
      const now = Date.now();
      const minute = Math.floor(now / 60_000);
      const at = (m: number, area: string) => ({ minute: m, name: 'tracetrack_scans_total', labels: JSON.stringify({ area, result: 'linked' }), value: 3 });
      instance.ingest({ counters: [at(minute - 45, '901'), at(minute - 1, '902'), at(minute - 50, '902'), at(minute - 25 * 60 + 30, '903')], histograms: [] });
      // A 24-hour shift that began two hours ago (local time), so "into the shift" is past the 30 minutes.
      const began = new Intl.DateTimeFormat('en-GB', { timeZone: settings(env).TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(now - 2 * 3_600_000));
      const s = { ...settings(env), ALERT_AREA_SILENT_MINUTES: 30, ALERT_SHIFT_HOURS: `${began}-${began}` };
      const silent = (instance as unknown as { silentAreasNow(s: unknown, minute: number, now: number): string[] }).silentAreasNow(s, minute, now);
      expect(silent).toContain('901');
      expect(silent).not.toContain('902');
      expect(silent).not.toContain('903');
      // Off by default.
      expect((instance as unknown as { silentAreasNow(s: unknown, minute: number, now: number): string[] }).silentAreasNow(settings(env), minute, now)).toEqual([]);
    });
  });
});
