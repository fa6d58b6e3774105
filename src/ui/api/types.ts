// Response shapes of the HTTP contract (API.md) as the UI reads them. Shared protocol types (WebSocket
// messages, session user, error codes) come from src/shared so the UI and the Worker cannot drift.
export type { SessionUser, Role } from '../../shared/types';

export interface ErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Area {
  id: number;
  name: string;
}

export type { SessionSummary, ParentStatus } from '../../shared/types';
import type { ParentStatus } from '../../shared/types';

// ---- Bags, scans, lookup (API.md "Bags, lookup, history, stats"). Optional fields are read defensively:
// the read API may add or omit them.
export type BagType = 'parent' | 'child';

export interface Bag {
  qr: string;
  type: BagType;
  areaId: number | null;
  status: string;
  createdAt: string;
  createdBy?: string | number | null;
  createdByName?: string | null;
  completedAt?: string | null;
  childCount?: number;
  parentQr?: string | null;
  billNo?: string | null;
  updatedAt?: string;
}

export interface HistoryEvent {
  at: string;
  kind?: string;
  type?: string;
  action?: string;
  by?: string | null;
  parentQr?: string | null;
  childQr?: string | null;
  billNo?: string | null;
  /** Issue 13: the return ticket of a 'return' entry. */
  ticketCode?: string | null;
  result?: string;
  detail?: string;
  [key: string]: unknown;
}

export interface LookupResult {
  bag: Bag;
  parent?: (Bag & { linkedAt?: string; linkedBy?: string | null }) | null;
  children?: Array<Partial<Bag> & { qr: string; linkedAt?: string; by?: string | null }>;
  bill?: { billNo: string; status?: string; finalized?: boolean; destination?: string; vehicleNo?: string; addedAt?: string } | null;
  history: HistoryEvent[];
}

export interface ScanRow {
  id?: number | string;
  scanId?: string;
  parentQr: string | null;
  childQr: string | null;
  result: 'linked' | 'duplicate' | 'rejected';
  errorCode?: string | null;
  areaId?: number | null;
  userId?: number | null;
  username?: string | null;
  by?: string | null;
  /** The read API names the scan time `at`; `createdAt` is accepted too. */
  at?: string;
  createdAt?: string;
}

// ---- Bills ----
export type BillStatus = 'empty' | 'in_progress' | 'completed';

export interface BillParent {
  qr: string;
  childCount: number;
  addedAt?: string;
  by?: string | null;
  /** Extensions (issue 9): the parent's own state, capacity and dispatch area. */
  status?: ParentStatus;
  capacity?: number;
  areaId?: number | null;
}

export interface Bill {
  billNo: string;
  destination: string;
  vehicleNo: string;
  description?: string | null;
  capacity: number;
  status: BillStatus;
  finalized: boolean;
  parentCount: number;
  childCount: number;
  actualWeightKg?: number | null;
  expectedWeightKg?: number | null;
  parents?: BillParent[];
  createdAt?: string;
  createdBy?: string | null;
  finalizedAt?: string | null;
  finalizedBy?: string | null;
  varianceKg?: number | null;
  /** Extensions (issue 9): where the measured (actual) weight came from, when and by whom. */
  weightSource?: 'manual' | 'weighbridge' | null;
  weighedAt?: string | null;
  weighedBy?: string | null;
  /** Some parents' counts could not be read live just now (see the bills API). */
  stale?: boolean;
  /** Issue 13: parents return tickets took off this bill. */
  returned?: Array<{ qr: string; ticketCode: string; childCount: number; returnedAt: string; by: string }>;
}

export interface BillScanAnswer {
  result: 'added' | 'duplicate';
  parentCount: number;
  /** Extension (issue 9): the scanned parent's own count and state, so an incomplete one can be flagged. */
  parent?: { qr: string; childCount: number; capacity: number; status: ParentStatus };
  parentQr?: string;
  qr?: string;
  bill?: Bill;
}

// ---- Returns (issue 13) ----
export type { ReturnTicketView as ReturnTicket, ReturnScanOutcome as ReturnScanAnswer, ReturnStatus } from '../../shared/returns';
import type { ReturnStatus } from '../../shared/returns';

export interface ReturnListItem {
  code: string;
  areaId: number | null;
  notes: string | null;
  status: ReturnStatus;
  parentCount: number;
  childCount: number;
  weightKg: number;
  createdAt: string;
  createdBy: string | null;
  closedAt: string | null;
}

// ---- Stats and reports ----
export type { AreaStats, Stats } from '../../shared/types';

// ---- Users, audit ----
export interface UserRow {
  id: number;
  username: string;
  role: import('../../shared/types').Role;
  areaId: number | null;
  active: boolean;
  totpEnabled?: boolean;
  createdAt?: string;
  lastLoginAt?: string | null;
}

export interface AuditRow {
  id: number | string;
  at?: string;
  createdAt?: string;
  actor?: string | null;
  actorUsername?: string | null;
  actorId?: number | null;
  action: string;
  entityType?: string;
  entityId?: string | null;
  entity?: string;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

// ---- System (GET /api/system, admins): the MetricsStore object's live figures and the last 60 minutes.
export type AlertPhase = 'ok' | 'pending' | 'firing';

export interface SystemAlert {
  name: string;
  severity: 'critical' | 'warning' | string;
  summary: string;
  state: AlertPhase;
  /** Pending: since the condition began; firing: since it fired. */
  since: string | null;
  value: number;
  description: string;
}

export interface SystemMinute {
  minute: string;
  scans: number;
  linked: number;
  duplicate: number;
  rejected: number;
  httpRequests: number;
  http5xx: number;
  signInFailures: number;
  ackP50Ms: number | null;
  ackP99Ms: number | null;
  openP50Ms: number | null;
  openP99Ms: number | null;
  flushBacklog: number | null;
  flushLagSeconds: number | null;
  postgresLatencyMs: number | null;
}

export interface SystemGauges {
  flushBacklog: number;
  backlogByShard: Record<string, number>;
  flushLagSeconds: number | null;
  lagByShard: Record<string, number | null>;
  oldestUnflushedSeconds: number;
  postgresUp: boolean;
  postgresLatencyMs: number | null;
  postgresError: string | null;
  sampledAt: string;
}

export interface SystemView {
  at: string;
  minutes: SystemMinute[];
  gauges: SystemGauges | null;
  sockets: number;
  perArea: Array<{ areaId: string; scansPerMinute: number; rejectedPerMinute: number }>;
  alerts: SystemAlert[];
  webhookConfigured: boolean;
  outbox: number;
}
