// What a ParentSession hands to Postgres in one flush. Events are in the order the object accepted them;
// every event carries an id that is unique forever, so replaying a batch changes nothing twice.

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
  eventId: string; // the scan id that linked it
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

/** A link Postgres refused because the child already sits in another parent there. */
export interface FlushConflict {
  childQr: string;
  parentQr: string;
  existingParentQr: string | null;
  eventId: string;
}

export interface FlushResult {
  conflicts: FlushConflict[];
}
