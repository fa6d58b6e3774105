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
