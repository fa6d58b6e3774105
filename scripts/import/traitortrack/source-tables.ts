// What the importer reads from a TraitorTrack database: its SQLAlchemy models' tables (names as they are in
// its database), the columns it needs, and how each is typed in the import's staging tables. Columns a
// deployment's version lacks read as NULL; a missing required column stops the import before anything is
// written. Tables TraceTrack has no feature for yet are kept raw (RAW_TABLES).

/** `json`: JSON kept as text by TraitorTrack; checked in Node, and text that is not JSON is kept wrapped. */
import { normalizeQr } from '../../../src/shared/qr';

export type ColumnKind = 'id' | 'int' | 'float' | 'bool' | 'text' | 'ts' | 'json';

export interface SourceTable {
  /** The table in TraitorTrack's database. */
  name: string;
  /** The staging table in TraceTrack's database (a temporary table of the import's session). */
  staging: string;
  required: boolean;
  columns: Array<{ name: string; kind: ColumnKind; required?: boolean }>;
  /** Columns computed in Node while copying (the same code the scanner uses, whatever the database's encoding). */
  derived?: Array<{ name: string; from: (row: Record<string, string | null>) => string | null }>;
}

const col = (name: string, kind: ColumnKind, required = false) => ({ name, kind, required });

export const SOURCE_TABLES: readonly SourceTable[] = [
  {
    name: 'user',
    staging: 's_user',
    required: true,
    columns: [
      col('id', 'id', true),
      col('username', 'text', true),
      col('email', 'text'),
      col('password_hash', 'text', true),
      col('role', 'text'),
      col('dispatch_area', 'text'),
      col('verified', 'bool'),
      col('totp_secret', 'text'),
      col('two_fa_enabled', 'bool'),
      col('created_at', 'ts'),
    ],
  },
  {
    name: 'bag',
    staging: 's_bag',
    required: true,
    columns: [
      col('id', 'id', true),
      col('qr_id', 'text', true),
      col('type', 'text', true),
      col('name', 'text'),
      col('child_count', 'int'),
      col('parent_id', 'id'),
      col('user_id', 'id'),
      col('dispatch_area', 'text'),
      col('status', 'text'),
      col('weight_kg', 'float'),
      col('created_at', 'ts'),
      col('updated_at', 'ts'),
    ],
    derived: [{ name: 'qr_norm', from: (row) => normalizeQr(row.qr_id ?? '') }],
  },
  {
    name: 'link',
    staging: 's_link',
    required: false,
    columns: [col('id', 'id', true), col('parent_bag_id', 'id', true), col('child_bag_id', 'id', true), col('created_at', 'ts')],
  },
  {
    name: 'bill',
    staging: 's_bill',
    required: false,
    columns: [
      col('id', 'id', true),
      col('bill_id', 'text', true),
      col('description', 'text'),
      col('parent_bag_count', 'int'),
      col('total_weight_kg', 'float'),
      col('expected_weight_kg', 'float'),
      col('total_child_bags', 'int'),
      col('status', 'text'),
      col('created_by_id', 'id'),
      col('created_at', 'ts'),
      col('updated_at', 'ts'),
    ],
  },
  {
    name: 'bill_bag',
    staging: 's_bill_bag',
    required: false,
    columns: [col('id', 'id', true), col('bill_id', 'id', true), col('bag_id', 'id', true), col('created_at', 'ts')],
  },
  {
    name: 'scan',
    staging: 's_scan',
    required: false,
    columns: [col('id', 'id', true), col('timestamp', 'ts'), col('parent_bag_id', 'id'), col('child_bag_id', 'id'), col('user_id', 'id')],
  },
  {
    name: 'audit_log',
    staging: 's_audit',
    required: false,
    columns: [
      col('id', 'id', true),
      col('timestamp', 'ts'),
      col('user_id', 'id'),
      col('action', 'text'),
      col('entity_type', 'text'),
      col('entity_id', 'text'),
      col('details', 'text'),
      col('before_state', 'json'),
      col('after_state', 'json'),
      col('ip_address', 'text'),
      col('request_id', 'text'),
    ],
  },
];

/**
 * Tables of newer TraitorTrack versions that TraceTrack has no feature for yet (return tickets, notifications):
 * their rows are kept as they are in `import_staging`, with bag, bill and user references resolved, for the
 * features that will use them.
 */
export const RAW_TABLES = ['return_ticket', 'return_ticket_bag', 'bill_return_event', 'notification', 'notifications'] as const;

/** Tables a TraitorTrack database has that hold nothing to import (migrations bookkeeping). */
export const IGNORED_TABLES = ['alembic_version'] as const;

/** The staging column type in TraceTrack's database. */
export function stagingType(kind: ColumnKind): string {
  return { id: 'bigint', int: 'bigint', float: 'float8', bool: 'boolean', text: 'text', ts: 'timestamptz', json: 'jsonb' }[kind];
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
