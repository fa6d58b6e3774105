// Scans per hour for the today-vs-yesterday chart, read tolerantly from GET /api/stats/hourly
// ({days:[{date, hours:[{hour, scans}]}]}, today first) or from 24-number arrays.
export interface HourlySeries {
  today: number[];
  yesterday: number[];
  todayDate: string | null;
  yesterdayDate: string | null;
}

function toHours(value: unknown): number[] {
  const out = new Array<number>(24).fill(0);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (typeof v === 'number' && i < 24) out[i] = v;
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const hour = typeof o.hour === 'number' ? o.hour : i;
        const n = typeof o.scans === 'number' ? o.scans : typeof o.count === 'number' ? o.count : 0;
        if (hour >= 0 && hour < 24) out[hour] = n;
      }
    });
  }
  return out;
}

export function hourlySeries(body: unknown): HourlySeries {
  const o = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (Array.isArray(o.days)) {
    const days = o.days as Array<{ date?: string; hours?: unknown }>;
    // Sort newest first so "today" is the later date whatever order the server chose.
    const sorted = [...days].sort((a, b) => String(b.date ?? '').localeCompare(String(a.date ?? '')));
    return {
      today: toHours(sorted[0]?.hours),
      yesterday: toHours(sorted[1]?.hours),
      todayDate: sorted[0]?.date ?? null,
      yesterdayDate: sorted[1]?.date ?? null,
    };
  }
  return { today: toHours(o.today), yesterday: toHours(o.yesterday), todayDate: null, yesterdayDate: null };
}

/** Today's series ends at the current hour (later hours are not zero, they have not happened). */
export function cutAtHour(series: number[], currentHour: number): Array<number | null> {
  return series.map((v, h) => (h <= currentHour ? v : null));
}
