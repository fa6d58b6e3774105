// The HTTP contract (API.md) as zod schemas: every JSON response body the Worker sends. Routes check their
// answers against the inferred types (`satisfies`), the UI reads the same types (src/ui/api/types.ts
// re-exports them), the OpenAPI document (src/worker/openapi) is generated from these schemas, and the
// role-matrix and fuzz tests parse real responses with them, so the three cannot drift apart.
//
// Objects are strict: a field a route adds without adding it here fails those tests. Times are ISO 8601
// strings. Nested parts owned by operations screens (health details, system figures) are loose on purpose:
// they are diagnostics whose fields grow with each release and nobody programs against.
import { z } from 'zod';

const time = z.string().describe('ISO 8601 date-time');
const maybeTime = time.nullable();
const count = z.number().int().nonnegative();
const id = z.number().int().positive();
const kg = z.number();

// ---- Conventions ----

/** `{"error":{"code","message",…details}}`: every 4xx/5xx JSON answer. */
export const errorResponseSchema = z
  .strictObject({
    error: z.looseObject({
      code: z.string().describe('One of the codes of API.md "Conventions", e.g. INVALID_INPUT, NOT_FOUND'),
      message: z.string().describe('What went wrong, for a person'),
    }),
  });
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** The list shape of every paged list (keyset cursor, opaque to clients). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// ---- Users, sign-in ----

export const ROLES = ['dispatcher', 'supervisor', 'biller', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const roleSchema = z.enum(ROLES);
export const sessionUserSchema = z
  .strictObject({ id, username: z.string(), role: roleSchema, areaId: id.nullable() });
export const localeSchema = z.enum(['en', 'hi']).nullable();

export const loginResponseSchema = z.strictObject({ user: sessionUserSchema, timeZone: z.string(), locale: localeSchema });
export const meResponseSchema = z.strictObject({ user: sessionUserSchema, timeZone: z.string(), locale: localeSchema.optional() });
export const tokenResponseSchema = z.strictObject({ token: z.string(), expiresAt: time, idleExpiresAt: time, user: sessionUserSchema });
export const passwordChangeResponseSchema = z.strictObject({ user: sessionUserSchema, token: z.string().optional(), expiresAt: time.optional() });
export const totpSetupResponseSchema = z.strictObject({ secret: z.string(), otpauthUri: z.string() });
export const totpVerifyResponseSchema = z.strictObject({ enabled: z.literal(true), recoveryCodes: z.array(z.string()) });
export const totpDisableResponseSchema = z.strictObject({ enabled: z.literal(false) });

export const userViewSchema = z
  .strictObject({
    id,
    username: z.string(),
    role: roleSchema,
    areaId: id.nullable(),
    active: z.boolean(),
    totpEnabled: z.boolean(),
    createdAt: time,
    updatedAt: time,
  });
export type UserView = z.infer<typeof userViewSchema>;
export const userPageSchema = pageSchema(userViewSchema);
export const userResponseSchema = z.strictObject({ user: userViewSchema });

// ---- Areas ----

export const areaSchema = z.strictObject({ id, name: z.string() });
export type Area = z.infer<typeof areaSchema>;
export const areaPageSchema = pageSchema(areaSchema);
export const areaResponseSchema = z.strictObject({ area: areaSchema });

// ---- Parents and child scans ----

export const parentStatusSchema = z.enum(['open', 'completed']);
export const childViewSchema = z.strictObject({ qr: z.string(), linkedAt: time, by: z.string() });
export const parentViewSchema = z
  .strictObject({
    qr: z.string(),
    areaId: id,
    status: parentStatusSchema,
    childCount: count,
    capacity: count,
    children: z.array(childViewSchema),
    billNo: z.string().nullable().optional(),
    billFinalized: z.boolean().optional(),
    /** Issue 13: the return ticket that last took this parent off a bill (until a bill takes it again). */
    returnedOn: z.string().optional(),
  });
export const parentResponseSchema = z.strictObject({ parent: parentViewSchema });
export const childScanResponseSchema = z
  .strictObject({ result: z.enum(['linked', 'duplicate']), childQr: z.string(), childCount: count, capacity: count, status: parentStatusSchema });
export const childRemovalResponseSchema = z.strictObject({ removed: z.string(), childCount: count, status: parentStatusSchema });
export const parentCompleteResponseSchema = z.strictObject({ status: parentStatusSchema, parent: parentViewSchema });
/** An admin deleted an empty parent (DELETE /api/parents/{qr}): its label is free again. */
export const parentDeleteResponseSchema = z.strictObject({ deleted: z.string(), areaId: z.number().int() });

/** One open parent as the live board shows it. */
export const sessionSummarySchema = z
  .strictObject({
    parentQr: z.string(),
    areaId: id,
    childCount: count,
    capacity: count,
    status: parentStatusSchema,
    lastScanAt: maybeTime,
    by: z.string().nullable(),
  });
export const liveSessionsResponseSchema = z.strictObject({ sessions: z.array(sessionSummarySchema) });

// ---- Bills ----

export const billStatusSchema = z.enum(['empty', 'in_progress', 'completed']);
export const weightSourceSchema = z.enum(['manual', 'weighbridge']);
export const billParentViewSchema = z.strictObject({
  qr: z.string(),
  childCount: count,
  addedAt: time,
  by: z.string(),
  /** Extensions (issue 9): the parent's own state and capacity, and its dispatch area, as last reported. */
  status: parentStatusSchema.optional(),
  capacity: count.optional(),
  areaId: id.nullable().optional(),
});
/** A bill's line for a parent taken off it by a return ticket. */
export const billReturnViewSchema = z.strictObject({ qr: z.string(), ticketCode: z.string(), childCount: count, returnedAt: time, by: z.string() });

/** The one view of a bill: create, get, weigh, remove a parent, finalize, reopen, and the bill socket's state. */
export const billViewSchema = z
  .strictObject({
    billNo: z.string(),
    destination: z.string(),
    vehicleNo: z.string(),
    description: z.string().nullable(),
    capacity: count,
    status: billStatusSchema,
    finalized: z.boolean(),
    finalizedAt: maybeTime,
    finalizedBy: z.string().nullable(),
    parentCount: count,
    childCount: count,
    /** The load as weighed (entered, or from a weighbridge), null until it was weighed (issue 9). */
    actualWeightKg: kg.nullable(),
    /** From the counts: 1 kg per child bag on the bill. */
    expectedWeightKg: kg,
    /** actual − expected, null until the bill was weighed. */
    varianceKg: kg.nullable(),
    weightSource: weightSourceSchema.nullable(),
    weighedAt: maybeTime,
    weighedBy: z.string().nullable(),
    parents: z.array(billParentViewSchema),
    /** Issue 13: parents return tickets took off this bill, oldest first (not counted in the totals). */
    returned: z.array(billReturnViewSchema).optional(),
    createdAt: time,
    createdBy: z.string(),
    /** Some parents' child counts could not be read live just now and the last known ones are shown. */
    stale: z.boolean(),
  });
export const billResponseSchema = z.strictObject({ bill: billViewSchema });
export const billListItemSchema = z
  .strictObject({
    billNo: z.string(),
    destination: z.string(),
    vehicleNo: z.string(),
    description: z.string().nullable(),
    capacity: count,
    status: billStatusSchema,
    finalized: z.boolean(),
    parentCount: count,
    /** Extension: child bags in the bill's parents, as Postgres holds them. */
    childCount: count,
    createdAt: time,
    createdBy: z.string().nullable(),
    finalizedAt: maybeTime,
  });
export const billPageSchema = pageSchema(billListItemSchema);
export const billScanResponseSchema = z
  .strictObject({
    result: z.enum(['added', 'duplicate']),
    parentQr: z.string(),
    parentCount: count,
    childCount: count,
    capacity: count,
    status: billStatusSchema,
    /** Extension (issue 9): the scanned parent's own count and state, so a parent that is not complete stands out. */
    parent: z
      .strictObject({ qr: z.string(), childCount: count, capacity: count.optional(), status: parentStatusSchema.optional() })
      .optional(),
  });

// ---- Return tickets (issue 13) ----

export const returnStatusSchema = z.enum(['open', 'finalized', 'cancelled']);
export const returnParentViewSchema = z.strictObject({
  qr: z.string(),
  billNo: z.string(),
  billFinalized: z.boolean(),
  childCount: count,
  returnedAt: time,
  by: z.string(),
});
export const returnTicketViewSchema = z
  .strictObject({
    code: z.string(),
    areaId: id,
    notes: z.string().nullable(),
    status: returnStatusSchema,
    createdAt: time,
    createdBy: z.string(),
    finalizedAt: maybeTime,
    finalizedBy: z.string().nullable(),
    cancelledAt: maybeTime,
    cancelledBy: z.string().nullable(),
    parentCount: count,
    childCount: count,
    weightKg: kg,
    parents: z.array(returnParentViewSchema),
  });
export const returnResponseSchema = z.strictObject({ ticket: returnTicketViewSchema });
export const returnListItemSchema = z
  .strictObject({
    code: z.string(),
    areaId: id.nullable(),
    notes: z.string().nullable(),
    status: returnStatusSchema,
    parentCount: count,
    childCount: count,
    weightKg: kg,
    createdAt: time,
    createdBy: z.string().nullable(),
    closedAt: maybeTime,
  });
export const returnPageSchema = pageSchema(returnListItemSchema);
export const returnScanResponseSchema = z
  .strictObject({
    result: z.enum(['returned', 'duplicate']),
    parentQr: z.string(),
    billNo: z.string(),
    parentChildCount: count,
    parentCount: count,
    childCount: count,
    weightKg: kg,
  });

// ---- Bags, lookup, scans ----

export const bagTypeSchema = z.enum(['parent', 'child']);
export const bagItemSchema = z
  .strictObject({
    qr: z.string(),
    type: bagTypeSchema,
    areaId: id.nullable(),
    status: z.string(),
    childCount: count,
    createdAt: time,
    createdBy: id.nullable(),
    createdByName: z.string().nullable(),
  });
export const bagPageSchema = pageSchema(bagItemSchema);
export const bagViewSchema = bagItemSchema.extend({ completedAt: maybeTime });
/** The bill a looked-up parent is on (or a child's parent is on). */
export const lookupBillSchema = z.strictObject({
  billNo: z.string(),
  destination: z.string(),
  vehicleNo: z.string(),
  status: billStatusSchema,
  finalized: z.boolean(),
  capacity: count,
  addedAt: time,
});
export const historyKindSchema = z.enum(['scan', 'link', 'unlink', 'bill_add', 'bill_finalize', 'return']);
export const historyEntrySchema = z.strictObject({
  at: time,
  kind: historyKindSchema,
  parentQr: z.string().nullable(),
  childQr: z.string().nullable(),
  by: z.string().nullable(),
  result: z.string().optional(),
  errorCode: z.string().nullable().optional(),
  reason: z.string().nullable().optional(),
  billNo: z.string().optional(),
  /** Issue 13: the return ticket of a 'return' entry. */
  ticketCode: z.string().optional(),
});
export const bagLookupSchema = z
  .strictObject({
    bag: bagViewSchema,
    parent: bagViewSchema.extend({ linkedAt: time, linkedBy: z.string().nullable() }).optional(),
    children: z.array(z.strictObject({ qr: z.string(), linkedAt: time, by: z.string().nullable() })).optional(),
    bill: lookupBillSchema.optional(),
    history: z.array(historyEntrySchema),
  });
export const scanResultSchema = z.enum(['linked', 'duplicate', 'rejected']);
export const scanItemSchema = z
  .strictObject({
    id,
    scanId: z.string(),
    parentQr: z.string().nullable(),
    childQr: z.string().nullable(),
    userId: id.nullable(),
    username: z.string().nullable(),
    areaId: id.nullable(),
    result: scanResultSchema,
    errorCode: z.string().nullable(),
    at: time,
  });
export const scanPageSchema = pageSchema(scanItemSchema);

// ---- Audit, conflicts ----

export const auditItemSchema = z
  .strictObject({
    id,
    at: time,
    actorId: id.nullable(),
    actorUsername: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
  });
export const auditPageSchema = pageSchema(auditItemSchema);
export const conflictKindSchema = z.enum(['child_in_other_parent', 'event_id_reused']);
export const conflictItemSchema = z
  .strictObject({
    id,
    eventId: z.string(),
    kind: conflictKindSchema,
    childQr: z.string().nullable(),
    parentQr: z.string().nullable(),
    existingParentQr: z.string().nullable(),
    /** For event_id_reused: which table holds the id, what it holds and what was refused. */
    detail: z.unknown(),
    detectedAt: time,
    resolvedAt: maybeTime,
    areaId: id.nullable(),
  });
export const conflictPageSchema = pageSchema(conflictItemSchema);

// ---- Dashboard and reports ----

const dayFigures = {
  /** Extensions (issue 9): the board's day figures, from counters and two small index counts. */
  parentsOpenedToday: count.optional(),
  parentsCompletedToday: count.optional(),
  rejectedToday: count.optional(),
  rejectedLastHour: count.optional(),
};
export const areaStatsSchema = z.strictObject({
  areaId: id,
  name: z.string(),
  parents: count,
  children: count,
  links: count,
  scansToday: count,
  activeSessions: count,
  ...dayFigures,
});
export const statsSchema = z
  .strictObject({
    parents: count,
    children: count,
    links: count,
    bills: z.strictObject({ open: count, completed: count }),
    scansToday: count,
    activeSessions: count,
    ...dayFigures,
    byArea: z.array(areaStatsSchema),
    /** The local day the figures are for, and the deployment's time zone. */
    date: z.string(),
    timeZone: z.string(),
  });
const tally = { scans: count, linked: count, duplicate: count, rejected: count };
export const hourlyStatsSchema = z.strictObject({
  timeZone: z.string(),
  areaId: id.nullable(),
  days: z.array(z.strictObject({ date: z.string(), hours: z.array(z.strictObject({ hour: count, ...tally })) })),
});
export const dailyReportSchema = z.strictObject({
  date: z.string(),
  timeZone: z.string(),
  areaId: id.nullable(),
  total: z.strictObject(tally),
  byArea: z.array(z.strictObject({ areaId: id.nullable(), name: z.string().nullable(), ...tally })),
  byUser: z.array(z.strictObject({ userId: id.nullable(), username: z.string().nullable(), areaId: id.nullable(), ...tally })),
});
const eodReturnTally = {
  ticketsCreated: count,
  ticketsFinalized: count,
  ticketsCancelled: count,
  parentsReturned: count,
  childrenReturned: count,
  weightKg: kg,
};
export const eodReportSchema = z.strictObject({
  date: z.string(),
  timeZone: z.string(),
  byArea: z.array(
    z.strictObject({
      areaId: id,
      name: z.string(),
      parentsCreated: count,
      parentsCompleted: count,
      childrenInCompletedParents: count,
      childrenLinked: count,
      ...tally,
    }),
  ),
  byBiller: z.array(
    z.strictObject({
      billerId: id.nullable(),
      username: z.string().nullable(),
      billsCreated: count,
      billsFinalized: count,
      parentsAdded: count,
      childrenAdded: count,
      expectedWeightKg: kg,
    }),
  ),
  /** The day's returns per receiving area (tickets without an area under `areaId: null`). */
  returns: z.strictObject({
    totals: z.strictObject(eodReturnTally),
    byArea: z.array(z.strictObject({ areaId: id.nullable(), name: z.string().nullable(), ...eodReturnTally })),
  }),
});
const billTotals = {
  bills: count,
  finalized: count,
  completed: count,
  parents: count,
  children: count,
  weighedBills: count,
  actualWeightKg: kg.nullable(),
  expectedWeightKg: kg,
  varianceKg: kg.nullable(),
};
export const billsReportSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  billerId: id.nullable(),
  totals: z.strictObject(billTotals),
  byBiller: z.array(z.strictObject({ billerId: id.nullable(), username: z.string().nullable(), ...billTotals })),
});
const returnTotals = { tickets: count, open: count, finalized: count, cancelled: count, parents: count, children: count, weightKg: kg };
export const returnsReportSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  totals: z.strictObject(returnTotals),
  byArea: z.array(z.strictObject({ areaId: id, name: z.string(), ...returnTotals })),
});

// ---- Imports and admin operations ----

export const importRowResultSchema = z.strictObject({
  row: count,
  outcome: z.enum(['linked', 'added', 'would_link', 'would_add', 'already', 'conflict', 'invalid']),
  /** Error code for conflicts and invalid rows (e.g. CHILD_IN_OTHER_PARENT, PARENT_FULL, BILL_FULL). */
  code: z.string().optional(),
  message: z.string().optional(),
  /** Catalog key of the UI's words for the row, with their values (e.g. the parent a child already is in). */
  key: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export const importResponseSchema = z.strictObject({ results: z.array(importRowResultSchema) });
export const registryRebuildResponseSchema = z.strictObject({ imported: count, nextCursor: z.string().nullable() });
export const throttleItemSchema = z
  .strictObject({
    scope: z.enum(['account', 'network']),
    network: z.string(),
    username: z.string().nullable(),
    failures: count,
    lastFailureAt: time,
    blockedUntil: maybeTime,
    userId: id.nullable(),
  });
export const throttlePageSchema = pageSchema(throttleItemSchema);
export const throttleClearResponseSchema = z.strictObject({ cleared: count });

// ---- Health and system (admins; diagnostics, loose below the top level) ----

export const healthResponseSchema = z.strictObject({ status: z.literal('ok') });
export const healthDetailedSchema = z.looseObject({
  status: z.enum(['ok', 'degraded']),
  db: z.looseObject({ ok: z.boolean(), latencyMs: z.number().nullable() }),
  build: z.looseObject({ revision: z.string(), startedAt: time }),
  postgresLatencyMs: z.number().nullable(),
  flushLagMs: z.number().nullable(),
  oldestUnflushedSeconds: z.number(),
  flushShards: z.array(z.looseObject({ shard: count, backlog: count })),
  flushBacklog: count,
  flushOldestQueuedAt: maybeTime,
  flushLastError: z.string().nullable(),
  parentsWaiting: count,
  conflicts: count,
  conflictsByKind: z.record(z.string(), count),
  recentConflicts: z.array(z.looseObject({})),
});
const ms = z.number().nullable();
export const systemMinuteSchema = z.strictObject({
  minute: time,
  scans: count,
  linked: count,
  duplicate: count,
  rejected: count,
  httpRequests: count,
  http5xx: count,
  signInFailures: count,
  ackP50Ms: ms,
  ackP99Ms: ms,
  openP50Ms: ms,
  openP99Ms: ms,
  flushBacklog: z.number().nullable(),
  flushLagSeconds: z.number().nullable(),
  postgresLatencyMs: ms,
});
export const systemGaugesSchema = z.strictObject({
  flushBacklog: count,
  backlogByShard: z.record(z.string(), count),
  flushLagSeconds: z.number().nullable(),
  lagByShard: z.record(z.string(), z.number().nullable()),
  oldestUnflushedSeconds: z.number(),
  postgresUp: z.boolean(),
  postgresLatencyMs: ms,
  postgresError: z.string().nullable(),
  sampledAt: time,
});
export const systemAlertSchema = z.strictObject({
  name: z.string(),
  severity: z.string(),
  summary: z.string(),
  state: z.enum(['ok', 'pending', 'firing']),
  since: maybeTime,
  value: z.number(),
  description: z.string(),
});
/** GET /api/system: the System screen's figures (admins). */
export const systemViewSchema = z.strictObject({
  at: time,
  minutes: z.array(systemMinuteSchema),
  gauges: systemGaugesSchema.nullable(),
  sockets: count,
  perArea: z.array(z.strictObject({ areaId: z.string(), scansPerMinute: z.number(), rejectedPerMinute: z.number() })),
  alerts: z.array(systemAlertSchema),
  webhookConfigured: z.boolean(),
  outbox: count,
});

// ---- Inferred types (what routes `satisfies` and the UI reads) ----

export type SessionUser = z.infer<typeof sessionUserSchema>;
export type ParentStatus = z.infer<typeof parentStatusSchema>;
export type ChildView = z.infer<typeof childViewSchema>;
export type ParentView = z.infer<typeof parentViewSchema>;
export type SessionSummary = z.infer<typeof sessionSummarySchema>;
export type BillStatus = z.infer<typeof billStatusSchema>;
export type WeightSource = z.infer<typeof weightSourceSchema>;
export type ScanResult = z.infer<typeof scanResultSchema>;
export type ReturnStatus = z.infer<typeof returnStatusSchema>;
export type ReturnParentView = z.infer<typeof returnParentViewSchema>;
export type LoginResponse = z.infer<typeof loginResponseSchema>;
export type MeResponse = z.infer<typeof meResponseSchema>;
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
export type PasswordChangeResponse = z.infer<typeof passwordChangeResponseSchema>;
export type ChildScanResponse = z.infer<typeof childScanResponseSchema>;
export type ChildRemovalResponse = z.infer<typeof childRemovalResponseSchema>;
export type ParentDeleteResponse = z.infer<typeof parentDeleteResponseSchema>;
export type BillView = z.infer<typeof billViewSchema>;
export type BillParentView = z.infer<typeof billParentViewSchema>;
export type BillReturnView = z.infer<typeof billReturnViewSchema>;
export type BillListItem = z.infer<typeof billListItemSchema>;
export type BillScanResponse = z.infer<typeof billScanResponseSchema>;
export type ReturnTicketView = z.infer<typeof returnTicketViewSchema>;
export type ReturnListItem = z.infer<typeof returnListItemSchema>;
export type ReturnScanResponse = z.infer<typeof returnScanResponseSchema>;
export type BagItem = z.infer<typeof bagItemSchema>;
export type BagView = z.infer<typeof bagViewSchema>;
export type LookupBill = z.infer<typeof lookupBillSchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type BagLookup = z.infer<typeof bagLookupSchema>;
export type ScanItem = z.infer<typeof scanItemSchema>;
export type AuditItem = z.infer<typeof auditItemSchema>;
export type ConflictItem = z.infer<typeof conflictItemSchema>;
export type Stats = z.infer<typeof statsSchema>;
export type AreaStats = z.infer<typeof areaStatsSchema>;
export type HourlyStats = z.infer<typeof hourlyStatsSchema>;
export type DailyReport = z.infer<typeof dailyReportSchema>;
export type EodReport = z.infer<typeof eodReportSchema>;
export type BillsReport = z.infer<typeof billsReportSchema>;
export type ReturnsReport = z.infer<typeof returnsReportSchema>;
export type ImportResponse = z.infer<typeof importResponseSchema>;
export type ThrottleItem = z.infer<typeof throttleItemSchema>;
export type HealthDetailed = z.infer<typeof healthDetailedSchema>;
export type SystemView = z.infer<typeof systemViewSchema>;
export type AreaPage = z.infer<typeof areaPageSchema>;
export type AreaResponse = z.infer<typeof areaResponseSchema>;
export type UserPage = z.infer<typeof userPageSchema>;
export type UserResponse = z.infer<typeof userResponseSchema>;
export type TotpSetupResponse = z.infer<typeof totpSetupResponseSchema>;
export type TotpVerifyResponse = z.infer<typeof totpVerifyResponseSchema>;
export type TotpDisableResponse = z.infer<typeof totpDisableResponseSchema>;
export type ParentResponse = z.infer<typeof parentResponseSchema>;
export type ParentCompleteResponse = z.infer<typeof parentCompleteResponseSchema>;
export type LiveSessionsResponse = z.infer<typeof liveSessionsResponseSchema>;
export type BillResponse = z.infer<typeof billResponseSchema>;
export type BillPage = z.infer<typeof billPageSchema>;
export type ReturnResponse = z.infer<typeof returnResponseSchema>;
export type ReturnPage = z.infer<typeof returnPageSchema>;
export type BagPage = z.infer<typeof bagPageSchema>;
export type ScanPage = z.infer<typeof scanPageSchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;
export type ConflictPage = z.infer<typeof conflictPageSchema>;
export type RegistryRebuildResponse = z.infer<typeof registryRebuildResponseSchema>;
export type ThrottlePage = z.infer<typeof throttlePageSchema>;
export type ThrottleClearResponse = z.infer<typeof throttleClearResponseSchema>;
export type HealthResponse = z.infer<typeof healthResponseSchema>;
