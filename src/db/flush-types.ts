// What a ParentSession hands to Postgres in one flush. Events are in the order the object accepted them;
// every event carries an id that is unique forever, so replaying a batch changes nothing twice. Ids are
// scoped by the parent (event-ids.ts: "<parentQr> <scanId>"); rows queued before that carry the bare scanId
// and are scoped when flushed (event-id-sql.ts).

export interface ParentSnapshot {
  qr: string;
  areaId: number;
  status: 'open' | 'completed';
  childCount: number;
  createdBy: number;
  createdAt: string; // ISO-8601
  completedAt: string | null;
  /** Who completed it (absent from snapshots of older objects). */
  completedBy?: number | null;
  /** Monotonic per parent: a snapshot only replaces an older one. */
  version: number;
}

export interface LinkEvent {
  kind: 'link';
  /** scopedEventId(parentQr, the scanId that linked it). */
  eventId: string;
  childQr: string;
  parentQr: string;
  areaId: number;
  at: string;
  userId: number;
}

export interface UnlinkEvent {
  kind: 'unlink';
  eventId: string;
  childQr: string;
  parentQr: string;
  at: string;
  userId: number;
  reason: 'undo' | 'unlink';
}

export type LinkChange = LinkEvent | UnlinkEvent;

export interface ScanRecord {
  /** scopedEventId(parentQr, the client's scanId): the scans row's unique key. */
  scanId: string;
  parentQr: string;
  childQr: string;
  userId: number;
  areaId: number;
  result: 'linked' | 'duplicate' | 'rejected';
  errorCode: string | null;
  at: string;
}

export interface FlushBatch {
  parent: ParentSnapshot | null;
  /** Snapshots of several parents (a flush queue combines many parents' rows into one batch). */
  parents?: ParentSnapshot[];
  changes: LinkChange[];
  scans: ScanRecord[];
}

export type FlushConflictKind = 'child_in_other_parent' | 'event_id_reused';

/** A stored or refused event as Postgres shows it: column name → value (ids, QRs, times as text). */
export type EventPayload = Record<string, string | number | null>;

/** For event_id_reused: the table, the event Postgres holds under the id (null if it was not readable) and the one it refused. */
export interface ConflictDetail {
  table: string;
  billNo?: string;
  stored: EventPayload | null;
  refused: EventPayload;
}

/**
 * A change Postgres refused: 'child_in_other_parent' (the child already sits in another parent there) or
 * 'event_id_reused' (Postgres holds this id for a different event; `detail` has both).
 */
export interface FlushConflict {
  kind: FlushConflictKind;
  eventId: string;
  childQr: string | null;
  parentQr: string | null;
  existingParentQr: string | null;
  detail?: ConflictDetail | null;
}

export interface FlushResult {
  conflicts: FlushConflict[];
}
