// Shapes of the API contract shared by the Worker, the Durable Objects and the UI.

export const ROLES = ['dispatcher', 'supervisor', 'biller', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  areaId: number | null;
}

export type ParentStatus = 'open' | 'completed';

export interface ChildView {
  qr: string;
  linkedAt: string;
  by: string;
}

export interface ParentView {
  qr: string;
  areaId: number;
  status: ParentStatus;
  childCount: number;
  capacity: number;
  children: ChildView[];
  billNo?: string | null;
  billFinalized?: boolean;
  /** Issue 13: the return ticket that last took this parent off a bill (until a bill takes it again). */
  returnedOn?: string;
}

export type ScanResult = 'linked' | 'duplicate' | 'rejected';

/** One open parent as the live board shows it. */
export interface SessionSummary {
  parentQr: string;
  areaId: number;
  childCount: number;
  capacity: number;
  status: ParentStatus;
  lastScanAt: string | null;
  by: string | null;
}

/** Derived, never stored by hand: empty (no parents), in progress, completed (full or finalized). */
export type BillStatus = 'empty' | 'in_progress' | 'completed';

export interface BillParentView {
  qr: string;
  childCount: number;
  addedAt: string;
  by: string;
  /** Extensions (issue 9): the parent's own state and capacity, and its dispatch area, as last reported. */
  status?: ParentStatus;
  capacity?: number;
  areaId?: number | null;
}

/** Where a bill's measured weight came from: typed in by a person, or set by a weighbridge through the API. */
export type WeightSource = 'manual' | 'weighbridge';

export interface BillView {
  billNo: string;
  destination: string;
  vehicleNo: string;
  description: string | null;
  capacity: number;
  status: BillStatus;
  finalized: boolean;
  finalizedAt: string | null;
  finalizedBy: string | null;
  parentCount: number;
  childCount: number;
  /**
   * The load as weighed (entered, or from a weighbridge), null until it was weighed. Extension of issue 9:
   * before it, this was 1 kg × child bags, which is now the expected weight.
   */
  actualWeightKg: number | null;
  /** From the counts: 1 kg per child bag on the bill. */
  expectedWeightKg: number;
  /** actual − expected, null until the bill was weighed. */
  varianceKg: number | null;
  weightSource: WeightSource | null;
  weighedAt: string | null;
  weighedBy: string | null;
  parents: BillParentView[];
  /** Issue 13: parents return tickets took off this bill, oldest first (not counted in the totals). */
  returned?: Array<{ qr: string; ticketCode: string; childCount: number; returnedAt: string; by: string }>;
  createdAt: string;
  createdBy: string;
  /**
   * True when some parents' child counts could not be read live just now and the last known ones are shown.
   * Always false for finalized bills, whose counts were frozen when they were finalized.
   */
  stale: boolean;
}

/** One area's figures in `GET /api/stats` (from counters and the live boards). */
export interface AreaStats {
  areaId: number;
  name: string;
  parents: number;
  children: number;
  links: number;
  scansToday: number;
  activeSessions: number;
  /** Extensions (issue 9): the board's day figures, from counters and two small index counts. */
  parentsOpenedToday?: number;
  parentsCompletedToday?: number;
  rejectedToday?: number;
  rejectedLastHour?: number;
}

/** `GET /api/stats`: the dashboard, answered from counters only. */
export interface Stats {
  parents: number;
  children: number;
  links: number;
  bills: { open: number; completed: number };
  scansToday: number;
  activeSessions: number;
  /** Extensions (issue 9), as in AreaStats, for the caller's scope (one area, or all). */
  parentsOpenedToday?: number;
  parentsCompletedToday?: number;
  rejectedToday?: number;
  rejectedLastHour?: number;
  byArea: AreaStats[];
  /** Extensions: the local day the figures are for, and the deployment's time zone. */
  date: string;
  timeZone: string;
}
