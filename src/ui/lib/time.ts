// Times in the deployment's time zone with the zone shown (UI.md "Quality bar"). The zone is a build-time
// setting (VITE_TIME_ZONE, the same value as the Worker's TIME_ZONE), Asia/Kolkata unless set.
export const TIME_ZONE: string = (import.meta.env.VITE_TIME_ZONE as string | undefined) || 'Asia/Kolkata';

const timeFormat = new Intl.DateTimeFormat(undefined, { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const zoneFormat = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'short' });

/** "14:05:09" in the deployment zone. */
export function formatTime(iso: string | number | Date): string {
  return timeFormat.format(new Date(iso));
}

/** The zone's short name as the user should see it next to times ("GMT+5:30" → "IST" where known). */
export function zoneLabel(): string {
  const name = zoneFormat.formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? TIME_ZONE;
  return TIME_ZONE === 'Asia/Kolkata' && name.startsWith('GMT+5:30') ? 'IST' : name;
}
