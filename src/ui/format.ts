// Times and numbers as people on the floor read them: the deployment's time zone (Asia/Kolkata unless the
// server says otherwise), with the zone shown, and numbers grouped for the locale. Pure: no DOM, so the
// formatting rules are tested in plain Node.
export const DEFAULT_TIME_ZONE = 'Asia/Kolkata';

// A build can name the deployment's zone (VITE_TIME_ZONE, the Worker's TIME_ZONE); API answers that carry
// `timeZone` override it at run time.
let zone = (import.meta as { env?: Record<string, string | undefined> }).env?.VITE_TIME_ZONE || DEFAULT_TIME_ZONE;
// The language's locale (src/ui/i18n sets it); the browser's language until then (globalThis keeps this
// file free of DOM types for Node tests).
let locale: string | undefined = (globalThis as { navigator?: { language?: string } }).navigator?.language ?? 'en-IN';

/** The server's TIME_ZONE setting, when an API answer carries one; ignored when the zone is unknown. */
export function setTimeZone(tz: string | null | undefined): void {
  // The zone already in use needs no check: checking builds a formatter, which loads the time zone data — on a
  // mid phone about 35 ms (140 ms at bench:ui's 4× slowdown) on the scanner's first load, which shows no time.
  if (!tz || tz === zone) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    zone = tz;
  } catch {
    // Keep the previous zone: a typo in configuration must not break every screen.
  }
}
export function timeZone(): string {
  return zone;
}
export function setLocale(value: string | undefined): void {
  locale = value;
}

function toDate(value: string | number | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** Short zone name as people say it, e.g. "IST" or "GMT+5:30". */
export function zoneLabel(at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat('en-IN', { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** "25 Nov 2026, 14:05 IST" */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value == null || value === '') return '—';
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  const text = new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
  return `${text} ${zoneLabel(d)}`;
}

/** "14:05:09" for lists that name the zone once (in their heading). */
export function formatClock(value: string | number | Date | null | undefined): string {
  if (value == null || value === '') return '—';
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(d);
}

/** "14:05:09 IST" for lists of today's events. */
export function formatTime(value: string | number | Date | null | undefined): string {
  const clock = formatClock(value);
  return clock === '—' ? clock : `${clock} ${zoneLabel(toDate(value!))}`;
}

/** The calendar day (YYYY-MM-DD) of an instant in the deployment's zone: what date filters mean. */
export function dayInZone(at: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The hour of day (0–23) of an instant in the deployment's zone. */
export function hourInZone(at: string | number | Date): number {
  const h = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(toDate(at));
  return Number(h) % 24;
}

export function formatNumber(value: number | null | undefined, maxFractionDigits = 0): string {
  if (value == null || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxFractionDigits }).format(value);
}

export function formatKg(value: number | null | undefined): string {
  return value == null ? '—' : `${formatNumber(value, 1)} kg`;
}

/** "8 s", "4 min", "2 h" since an instant; "—" when never. */
export function formatAge(seconds: number | null): string {
  if (seconds == null) return '—';
  const s = Math.max(0, Math.floor(seconds));
  // Units in the chosen language ("59 secs" / "59 से॰"), from the browser's own locale data: no catalog keys.
  const [value, unit] = s < 60 ? [s, 'second'] : s < 3600 ? [Math.floor(s / 60), 'minute'] : [Math.floor(s / 3600), 'hour'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}
