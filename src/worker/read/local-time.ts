// Calendar days and hours in the deployment's time zone, spelled as the counters' periods spell them
// ('YYYY-MM-DD', 'YYYY-MM-DDTHH'; see counter-sql.ts).

export function localDate(at: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The day before a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
export function previousDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function hourPeriods(date: string): string[] {
  return Array.from({ length: 24 }, (_, h) => `${date}T${String(h).padStart(2, '0')}`);
}

/**
 * A formatter of instants as local wall-clock time with the zone's offset, "2026-12-02 19:35:09 +05:30":
 * what people read in a spreadsheet, still exact for machines. Exports format every row with it, so the
 * offset (which only changes at daylight-saving switches) is looked up once per quarter hour of time,
 * not per cell. Values that are not instants are returned as they are.
 */
export function localTimestampFormatter(timeZone: string): (value: string | null | undefined) => string {
  const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  const offsets = new Map<number, number>();
  const offsetMinutes = (ms: number): number => {
    const bucket = Math.floor(ms / 900_000);
    let minutes = offsets.get(bucket);
    if (minutes === undefined) {
      const name = offsetFormat.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
      minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
      offsets.set(bucket, minutes);
    }
    return minutes;
  };
  return (value) => {
    if (value === null || value === undefined || value === '') return '';
    const ms = Date.parse(value);
    if (!Number.isFinite(ms)) return value;
    const offset = offsetMinutes(ms);
    const local = new Date(ms + offset * 60_000).toISOString();
    const abs = Math.abs(offset);
    const sign = offset < 0 ? '-' : '+';
    return `${local.slice(0, 10)} ${local.slice(11, 19)} ${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  };
}
