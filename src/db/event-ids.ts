// Ids of the events a ParentSession hands to Postgres (link_events.event_id, scans.scan_id, audit rows).
// A client's scanId is only an idempotency key inside one parent (API.md); Postgres keys events globally, so
// the object puts its own name in front: "<parentQr> <key>". The space is what makes these ids impossible to
// forge: client scanIds are printable ASCII *without* spaces (scanIdSchema) and parent QRs have none, so no
// client-chosen string, and no id stored before this scheme (they were bare scanIds), equals a scoped one.

const SEPARATOR = ' ';

/** The id Postgres stores for the event `key` (a scanId, or a server-made id) of object `scope`. */
export function scopedEventId(scope: string, key: string): string {
  return `${scope}${SEPARATOR}${key}`;
}

/** False for ids written before scoping (bare scanIds still waiting in outboxes and flush queues). */
export function isScopedEventId(id: string): boolean {
  return id.includes(SEPARATOR);
}

/** The client's part of an event id (the scanId it sent), for showing next to its parent. */
export function clientKeyOf(id: string): string {
  const at = id.indexOf(SEPARATOR);
  return at < 0 ? id : id.slice(at + SEPARATOR.length);
}
