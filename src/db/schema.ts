// The Postgres schema: the one source of truth for drizzle queries and drizzle-kit migrations.
// What drizzle cannot express (the pg_trgm extension) lives in the custom migration before the generated one.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

// Timestamps come back as ISO-ish strings: both drivers then agree, and nothing pays for Date parsing on hot paths.
const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const areas = pgTable('areas', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['dispatcher', 'supervisor', 'biller', 'admin'] }).notNull(),
    areaId: integer('area_id').references(() => areas.id),
    active: boolean('active').notNull().default(true),
    totpSecret: text('totp_secret'),
    totpEnabled: boolean('totp_enabled').notNull().default(false),
    /** The newest TOTP time step accepted: a code of that step or older is refused (no replay). */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /** SHA-256 hex of the unused recovery codes (JSON array); a used one is removed. */
    totpRecoveryCodes: jsonb('totp_recovery_codes'),
    passwordChangedAt: tz('password_changed_at').notNull().defaultNow(),
    /** The language the user chose on the Me page ('en' | 'hi'); null: the browser's language. */
    locale: text('locale', { enum: ['en', 'hi'] }),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // Usernames are unique regardless of case, so "Admin" cannot shadow "admin".
    uniqueIndex('users_username_lower_uq').on(sql`lower(${t.username})`),
    check('users_role_check', sql`${t.role} in ('dispatcher','supervisor','biller','admin')`),
    check('users_locale_check', sql`${t.locale} in ('en','hi')`),
  ],
);

export const bags = pgTable(
  'bags',
  {
    qr: text('qr').primaryKey(),
    type: text('type', { enum: ['parent', 'child'] }).notNull(),
    areaId: integer('area_id').references(() => areas.id),
    status: text('status', { enum: ['open', 'completed', 'linked', 'unlinked'] }).notNull(),
    childCount: integer('child_count').notNull().default(0),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: tz('created_at').notNull(),
    updatedAt: tz('updated_at').notNull(),
    completedAt: tz('completed_at'),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    // Only normalized QRs may be stored, which makes the primary key unique case-insensitively.
    check('bags_qr_normalized', sql`${t.qr} = upper(btrim(${t.qr}))`),
    check('bags_type_check', sql`${t.type} in ('parent','child')`),
    check(
      'bags_status_check',
      sql`(${t.type} = 'parent' and ${t.status} in ('open','completed')) or (${t.type} = 'child' and ${t.status} in ('linked','unlinked'))`,
    ),
    // "Did you mean" search: lower(qr) % lower($1). On lower(qr), not qr, so that plain qr = ANY($1) lookups
    // can only use the primary key: with no statistics yet, the planner picked this GIN index for them and a
    // 1,000-row flush took 0.8 s instead of 50 ms.
    index('bags_qr_trgm_idx').using('gin', sql`lower(${t.qr}) gin_trgm_ops`),
    // Keyset pages of the bag list, newest first by (created_at, qr): one index per equality filter the
    // list offers, each ending in the sort key, so a page is an index range scan (see docs/BENCHMARKS.md).
    index('bags_type_area_created_idx').on(t.type, t.areaId, t.createdAt, t.qr),
    index('bags_created_qr_idx').on(t.createdAt, t.qr),
    index('bags_type_created_qr_idx').on(t.type, t.createdAt, t.qr),
    index('bags_area_created_qr_idx').on(t.areaId, t.createdAt, t.qr),
    index('bags_creator_created_qr_idx').on(t.createdBy, t.createdAt, t.qr),
    // Unlinked children are few among millions of linked ones: a small partial index finds them at once.
    index('bags_unlinked_children_idx')
      .on(t.createdAt, t.qr)
      .where(sql`${t.type} = 'child' AND ${t.status} = 'unlinked'`),
    // End-of-day report and the board's "completed today": parents completed on a day, per area (the area in
    // the index, so the board's count per area is an index-only range scan of one day).
    // The cap on empty open parents per user (EMPTY_PARENTS_PER_USER): counted on every new parent, so a
    // small partial index of exactly those rows, not a walk over every bag the user ever created.
    index('bags_empty_open_parents_idx')
      .on(t.createdBy)
      .where(sql`${t.type} = 'parent' AND ${t.status} = 'open' AND ${t.childCount} = 0`),
    index('bags_parent_completed_area_idx')
      .on(t.completedAt, t.areaId)
      .where(sql`${t.type} = 'parent' AND ${t.completedAt} IS NOT NULL`),
  ],
);

export const links = pgTable(
  'links',
  {
    childQr: text('child_qr').primaryKey().references(() => bags.qr),
    parentQr: text('parent_qr').notNull().references(() => bags.qr),
    linkedAt: tz('linked_at').notNull(),
    linkedBy: integer('linked_by'),
    eventId: text('event_id').notNull(),
  },
  (t) => [index('links_parent_idx').on(t.parentQr)],
);

export const linkEvents = pgTable(
  'link_events',
  {
    eventId: text('event_id').primaryKey(),
    kind: text('kind', { enum: ['link', 'unlink'] }).notNull(),
    childQr: text('child_qr').notNull(),
    parentQr: text('parent_qr').notNull(),
    at: tz('at').notNull(),
    userId: integer('user_id'),
    reason: text('reason'),
  },
  (t) => [
    check('link_events_kind_check', sql`${t.kind} in ('link','unlink')`),
    index('link_events_child_at_idx').on(t.childQr, t.at),
    index('link_events_parent_at_idx').on(t.parentQr, t.at),
  ],
);

export const scans = pgTable(
  'scans',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    scanId: text('scan_id').notNull().unique(),
    parentQr: text('parent_qr'),
    childQr: text('child_qr'),
    userId: integer('user_id'),
    areaId: integer('area_id'),
    result: text('result', { enum: ['linked', 'duplicate', 'rejected'] }).notNull(),
    errorCode: text('error_code'),
    createdAt: tz('created_at').notNull(),
  },
  (t) => [
    check('scans_result_check', sql`${t.result} in ('linked','duplicate','rejected')`),
    // Keyset pages of the scan list, newest first by (created_at, id), with or without a user/area filter.
    index('scans_created_idx').on(t.createdAt, t.id),
    index('scans_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('scans_area_created_idx').on(t.areaId, t.createdAt, t.id),
    // The board's "rejections in the last hour", per area: rejections are a small share of scans, so this
    // partial index stays small and the count is a short index-only range scan.
    index('scans_rejected_created_idx')
      .on(t.createdAt, t.areaId)
      .where(sql`${t.result} = 'rejected'`),
    index('scans_parent_idx').on(t.parentQr),
    index('scans_child_idx').on(t.childQr),
  ],
);

export const bills = pgTable(
  'bills',
  {
    id: serial('id').primaryKey(),
    billNo: text('bill_no').notNull().unique(),
    destination: text('destination').notNull(),
    vehicleNo: text('vehicle_no').notNull(),
    description: text('description'),
    capacity: integer('capacity').notNull(),
    status: text('status', { enum: ['empty', 'in_progress', 'completed'] }).notNull().default('empty'),
    finalized: boolean('finalized').notNull().default(false),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
    finalizedAt: tz('finalized_at'),
    /** The load as weighed (kg, to 10 g), null until weighed; who and how, for the bill screen and the audit. */
    actualWeightKg: numeric('actual_weight_kg', { precision: 10, scale: 2, mode: 'number' }),
    weightSource: text('weight_source', { enum: ['manual', 'weighbridge'] }),
    weighedAt: tz('weighed_at'),
    weighedBy: integer('weighed_by').references(() => users.id),
  },
  (t) => [
    check('bills_capacity_check', sql`${t.capacity} between 1 and 50`),
    check('bills_weight_check', sql`${t.actualWeightKg} IS NULL OR (${t.actualWeightKg} >= 0 AND ${t.weightSource} IN ('manual','weighbridge'))`),
    // The bill list's keyset order (newest first).
    index('bills_created_id_idx').on(t.createdAt, t.id),
    check('bills_status_check', sql`${t.status} in ('empty','in_progress','completed')`),
  ],
);

export const billBags = pgTable(
  'bill_bags',
  {
    bagQr: text('bag_qr').primaryKey().references(() => bags.qr),
    billId: integer('bill_id').notNull().references(() => bills.id),
    addedAt: tz('added_at').notNull().defaultNow(),
    addedBy: integer('added_by'),
  },
  (t) => [index('bill_bags_bill_idx').on(t.billId)],
);

// ---- Return tickets (issue 13): parents sent back by dealers, taken off their bills. Written by each
// ReturnTicket object's flush; a bill's "returned" lines are the rows naming it.

export const returnTickets = pgTable(
  'return_tickets',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    areaId: integer('area_id').references(() => areas.id),
    notes: text('notes'),
    status: text('status', { enum: ['open', 'finalized', 'cancelled'] }).notNull().default('open'),
    parentCount: integer('parent_count').notNull().default(0),
    childCount: integer('child_count').notNull().default(0),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: tz('created_at').notNull(),
    closedAt: tz('closed_at'),
    closedBy: integer('closed_by').references(() => users.id),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('return_tickets_status_check', sql`${t.status} in ('open','finalized','cancelled')`),
    index('return_tickets_created_id_idx').on(t.createdAt, t.id),
  ],
);

export const returnTicketParents = pgTable(
  'return_ticket_parents',
  {
    ticketId: integer('ticket_id').notNull().references(() => returnTickets.id),
    bagQr: text('bag_qr').notNull().references(() => bags.qr),
    /** The bill it was taken off (bill numbers are unique; no foreign key so a bill not yet flushed cannot block it). */
    billNo: text('bill_no').notNull(),
    billFinalized: boolean('bill_finalized').notNull().default(false),
    childCount: integer('child_count').notNull(),
    returnedAt: tz('returned_at').notNull(),
    returnedBy: integer('returned_by'),
    eventId: text('event_id').notNull().unique(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.bagQr] }),
    index('return_ticket_parents_bag_idx').on(t.bagQr, t.returnedAt),
    index('return_ticket_parents_bill_idx').on(t.billNo, t.returnedAt),
    index('return_ticket_parents_returned_idx').on(t.returnedAt),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: tz('at').notNull().defaultNow(),
    actorId: integer('actor_id'),
    actorUsername: text('actor_username'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    // Rows derived from Durable Object events (scans, bills) carry the event id so a replayed flush adds them once.
    eventId: text('event_id').unique(),
    /** Set when IP, user agent and e-mail-like strings were removed after AUDIT_RETENTION_DAYS. */
    anonymisedAt: tz('anonymised_at'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at, t.id),
    // Only rows still waiting for anonymisation: the retention job never rescans finished years.
    index('audit_log_pending_anonymise_idx').on(t.at).where(sql`${t.anonymisedAt} IS NULL`),
    index('audit_log_actor_at_idx').on(t.actorId, t.at),
    index('audit_log_entity_at_idx').on(t.entityType, t.entityId, t.at),
    index('audit_log_action_at_idx').on(t.action, t.at),
  ],
);

/**
 * Dashboard counters, kept exact by the flush so dashboards never count millions of rows.
 * scope: 'all' | 'area:<id>'; period: 'total' | 'YYYY-MM-DD' | 'YYYY-MM-DDTHH' (deployment time zone).
 * A counter may be spread over several slots (one per flush shard group); read it as sum(value).
 */
export const counters = pgTable(
  'counters',
  {
    name: text('name').notNull(),
    scope: text('scope').notNull(),
    period: text('period').notNull(),
    /** One of COUNTER_SLOTS rows a counter is spread over (counter-sql.ts); a counter's value is the sum. */
    slot: smallint('slot').notNull().default(0),
    value: bigint('value', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.name, t.scope, t.period, t.slot] })],
);

/**
 * What a flush could not apply, kept until someone resolves it. kind 'child_in_other_parent': Postgres has the
 * child in another parent; 'event_id_reused': Postgres already holds the event's id (link_events.event_id,
 * scans.scan_id, audit_log.event_id) for a different event, `detail` says which table, what is stored and what
 * was refused. refused_hash tells apart different refused events under one id ('' for the first kind).
 */
export const flushConflicts = pgTable(
  'flush_conflicts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull(),
    kind: text('kind', { enum: ['child_in_other_parent', 'event_id_reused'] }).notNull().default('child_in_other_parent'),
    childQr: text('child_qr'),
    parentQr: text('parent_qr'),
    existingParentQr: text('existing_parent_qr'),
    detail: jsonb('detail'),
    refusedHash: text('refused_hash').notNull().default(''),
    detectedAt: tz('detected_at').notNull().defaultNow(),
    resolvedAt: tz('resolved_at'),
  },
  (t) => [
    uniqueIndex('flush_conflicts_event_kind_uq').on(t.eventId, t.kind, t.refusedHash),
    check('flush_conflicts_kind_check', sql`${t.kind} in ('child_in_other_parent','event_id_reused')`),
  ],
);

// ---- Imports from other systems (scripts/import): what each run did, every anomaly it met, and the rows of
// source tables TraceTrack has no feature for yet, kept raw so nothing is lost.

export const importRuns = pgTable('import_runs', {
  id: text('id').primaryKey(),
  source: text('source').notNull(),
  /** Where the rows came from, without credentials (host, port, database). */
  sourceLabel: text('source_label').notNull(),
  startedAt: tz('started_at').notNull(),
  finishedAt: tz('finished_at').notNull().defaultNow(),
  counts: jsonb('counts').notNull(),
  anomalies: jsonb('anomalies').notNull(),
});

export const importAnomalies = pgTable(
  'import_anomalies',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: text('run_id').notNull().references(() => importRuns.id),
    kind: text('kind').notNull(),
    sourceTable: text('source_table').notNull(),
    sourceId: text('source_id'),
    /** The QR, username or bill number concerned, as TraceTrack now holds it. */
    subject: text('subject'),
    detail: jsonb('detail').notNull(),
  },
  (t) => [index('import_anomalies_run_kind_idx').on(t.runId, t.kind)],
);

export const importStaging = pgTable(
  'import_staging',
  {
    source: text('source').notNull(),
    sourceTable: text('source_table').notNull(),
    sourceId: text('source_id').notNull(),
    /** The row as the source held it (row_to_json). */
    row: jsonb('row').notNull(),
    /** Its references resolved to TraceTrack keys (bag ids to QRs, bill ids to bill numbers, user ids to usernames). */
    resolved: jsonb('resolved').notNull(),
    runId: text('run_id').notNull(),
    importedAt: tz('imported_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.sourceTable, t.sourceId] })],
);

/** Source ids of imported users, bills and return tickets, whose TraceTrack keys may differ (renamed duplicates). */
export const importIdMap = pgTable(
  'import_id_map',
  {
    source: text('source').notNull(),
    entity: text('entity', { enum: ['user', 'bill', 'return_ticket'] }).notNull(),
    sourceId: bigint('source_id', { mode: 'number' }).notNull(),
    targetKey: text('target_key').notNull(),
    runId: text('run_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.entity, t.sourceId] })],
);

export const schema = {
  areas,
  users,
  bags,
  links,
  linkEvents,
  scans,
  bills,
  billBags,
  returnTickets,
  returnTicketParents,
  auditLog,
  counters,
  flushConflicts,
  importRuns,
  importAnomalies,
  importStaging,
  importIdMap,
};
export type Schema = typeof schema;
