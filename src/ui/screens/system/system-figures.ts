// What the System screen shows, derived from GET /api/system without any DOM: the headline figures (the last
// complete minute, so a minute just begun does not read as a drop to zero) and the chart series.
import type { SystemAlert, SystemMinute, SystemView } from '../../api/types';

export interface Headline {
  scansPerMinute: number;
  rejectedPerMinute: number;
  ackP50Ms: number | null;
  ackP99Ms: number | null;
  openP50Ms: number | null;
  openP99Ms: number | null;
  /** 5xx responses as a share of all responses over the last 5 minutes (0..1), null without requests. */
  errorRate: number | null;
  signInFailures5m: number;
}

/** The minute before the current one, or the only one there is. */
export function lastComplete(minutes: readonly SystemMinute[]): SystemMinute | null {
  return minutes.length >= 2 ? minutes[minutes.length - 2]! : (minutes[0] ?? null);
}

export function headline(view: SystemView): Headline {
  const last = lastComplete(view.minutes);
  const recent = view.minutes.slice(-5);
  const requests = recent.reduce((a, m) => a + m.httpRequests, 0);
  const errors = recent.reduce((a, m) => a + m.http5xx, 0);
  return {
    scansPerMinute: last?.scans ?? 0,
    rejectedPerMinute: last?.rejected ?? 0,
    // The latest minute that had any ack: a quiet minute has no latency, not a latency of zero.
    ackP50Ms: latest(view.minutes, (m) => m.ackP50Ms),
    ackP99Ms: latest(view.minutes, (m) => m.ackP99Ms),
    openP50Ms: latest(view.minutes, (m) => m.openP50Ms),
    openP99Ms: latest(view.minutes, (m) => m.openP99Ms),
    errorRate: requests > 0 ? errors / requests : null,
    signInFailures5m: recent.reduce((a, m) => a + m.signInFailures, 0),
  };
}

function latest(minutes: readonly SystemMinute[], pick: (m: SystemMinute) => number | null): number | null {
  for (let i = minutes.length - 1; i >= 0; i--) {
    const v = pick(minutes[i]!);
    if (v !== null) return v;
  }
  return null;
}

/** uPlot's columnar data: x in Unix seconds, then one column per series (null = no point). */
export type Columns = [number[], ...Array<Array<number | null>>];

export function columns(minutes: readonly SystemMinute[], picks: ReadonlyArray<(m: SystemMinute) => number | null>): Columns {
  const xs = minutes.map((m) => Math.floor(Date.parse(m.minute) / 1000));
  return [xs, ...picks.map((pick) => minutes.map(pick))];
}

/** 5xx per 100 responses in each minute (null for a minute without requests). */
export function errorPercent(m: SystemMinute): number | null {
  return m.httpRequests > 0 ? (100 * m.http5xx) / m.httpRequests : null;
}

/** Alerts worth a look first: firing, then pending; the rest (ok) after, each group in rule order. */
export function byUrgency(alerts: readonly SystemAlert[]): SystemAlert[] {
  const rank = (a: SystemAlert) => (a.state === 'firing' ? 0 : a.state === 'pending' ? 1 : 2);
  return alerts.map((a, i) => ({ a, i })).sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i).map(({ a }) => a);
}
