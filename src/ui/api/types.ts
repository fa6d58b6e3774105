// Response shapes of the HTTP contract as the UI reads them: re-exports of the zod-inferred types of
// src/shared/api.ts, the same ones the Worker's routes are checked against and the OpenAPI document is made
// from. Nothing is written by hand here, so a field the server does not send cannot be read.
export type {
  Area,
  AreaStats,
  AuditItem as AuditRow,
  BagItem,
  BagLookup as LookupResult,
  BagView as Bag,
  BillListItem,
  BillParentView as BillParent,
  BillScanResponse as BillScanAnswer,
  BillStatus,
  BillView as Bill,
  ErrorResponse,
  HistoryEntry as HistoryEvent,
  Page,
  ParentStatus,
  ReturnListItem,
  ReturnScanResponse as ReturnScanAnswer,
  ReturnStatus,
  ReturnTicketView as ReturnTicket,
  Role,
  ScanItem as ScanRow,
  SessionSummary,
  SessionUser,
  Stats,
  UserView as UserRow,
} from '../../shared/api';

export type BagType = import('../../shared/api').BagItem['type'];

// ---- System (GET /api/system, admins): the MetricsStore object's live figures and the last 60 minutes.
export type SystemView = import('../../shared/api').SystemView;
export type SystemMinute = SystemView['minutes'][number];
export type SystemGauges = NonNullable<SystemView['gauges']>;
export type SystemAlert = SystemView['alerts'][number];
export type AlertPhase = SystemAlert['state'];
