// Every HTTP operation of the Worker with the schemas it is checked against: the request schemas the route
// validates with (imported from the route modules, so the document says what the server really accepts)
// and the response schemas of src/shared/api.ts. The OpenAPI document is generated from this table, and the
// role-matrix test asserts that the table and the mounted routes list the same operations.
import type { z } from 'zod';
import * as api from '../../shared/api';
import type { Role } from '../../shared/types';
import { createBillBodySchema, weighBillBodySchema } from '../../shared/bill';
import { importRowsBodySchema } from '../../shared/imports';
import { openParentBodySchema, scanBodySchema } from '../../shared/protocol';
import { createReturnBodySchema } from '../../shared/returns';
import { rebuildSchema } from '../routes/admin';
import { createSchema as createAreaBody } from '../routes/areas';
import * as auth from '../routes/auth';
import { listQuerySchema as billListQuery } from '../routes/bills';
import { conflictQuery } from '../routes/conflicts';
import { returnExportQuery } from '../routes/exports';
import { querySchema as liveQuery } from '../routes/live';
import { undoBodySchema } from '../routes/parents';
import { auditFiltersSchema, auditListQuery, bagFiltersSchema, bagListQuery, scanFiltersSchema, scanListQuery } from '../routes/read-queries';
import { billsQuery, dailyQuery, eodQuery, returnsQuery } from '../routes/reports';
import { listQuerySchema as returnListQuery } from '../routes/returns';
import { clearBody as throttleClearBody, listQuery as throttleListQuery } from '../routes/sign-in-throttles';
import { systemQuery } from '../routes/metrics';
import { hourlyQuery, statsQuery } from '../routes/stats';
import { createSchema as createUserBody, listQuerySchema as userListQuery, patchSchema as userPatchBody } from '../routes/users';


export type Method = 'get' | 'post' | 'patch' | 'delete';

/** Who may call: nobody signed in, any signed-in user, or the roles listed. */
export type Access = 'public' | 'user' | readonly Role[];

export interface Operation {
  method: Method;
  /** OpenAPI path template ({param}), under the origin. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success status and its JSON body schema; a string is a non-JSON media type (CSV, text). */
  status?: 200 | 201 | 204 | 101;
  response?: z.ZodType | string;
}

const WRITERS = ['biller', 'admin'] as const;
const READERS = ['biller', 'admin', 'supervisor'] as const;
const SCANNERS = ['dispatcher', 'supervisor', 'admin'] as const;
const ADMIN = ['admin'] as const;

export const OPERATIONS: readonly Operation[] = [
  // Health and the contract itself
  { method: 'get', path: '/health', summary: 'Liveness (no I/O)', tag: 'health', access: 'public', response: api.healthResponseSchema },
  { method: 'get', path: '/health/detailed', summary: 'Postgres, flush queues and conflicts', tag: 'health', access: ADMIN, response: api.healthDetailedSchema },
  { method: 'get', path: '/metrics', summary: 'Prometheus text exposition (METRICS_TOKEN bearer or an admin)', tag: 'health', access: ADMIN, response: 'text/plain' },
  { method: 'get', path: '/api/openapi.json', summary: 'This document', tag: 'contract', access: 'public', response: 'application/json' },
  { method: 'get', path: '/api/docs', summary: 'Readable reference of this document', tag: 'contract', access: 'public', response: 'text/html' },
  { method: 'get', path: '/api/system', summary: 'System figures of the last 60 minutes', tag: 'health', access: ADMIN, query: systemQuery, response: api.systemViewSchema },

  // Sign-in
  { method: 'post', path: '/api/auth/login', summary: 'Sign in (session cookie)', tag: 'auth', access: 'public', body: auth.credentialsSchema, response: api.loginResponseSchema },
  { method: 'post', path: '/api/auth/token', summary: 'Sign in (bearer token for devices)', tag: 'auth', access: 'public', body: auth.credentialsSchema, response: api.tokenResponseSchema },
  { method: 'post', path: '/api/auth/logout', summary: 'Sign out', tag: 'auth', access: 'public', status: 204 },
  { method: 'get', path: '/api/auth/me', summary: 'The signed-in user', tag: 'auth', access: 'user', response: api.meResponseSchema },
  { method: 'patch', path: '/api/auth/me', summary: 'Own settings (language)', tag: 'auth', access: 'user', body: auth.mePatchSchema, response: api.loginResponseSchema },
  { method: 'post', path: '/api/auth/password', summary: 'Change own password', tag: 'auth', access: 'user', body: auth.passwordChangeSchema, response: api.passwordChangeResponseSchema },
  { method: 'post', path: '/api/auth/totp/setup', summary: 'Start TOTP enrolment', tag: 'auth', access: ADMIN, body: auth.totpSetupSchema, response: api.totpSetupResponseSchema },
  { method: 'post', path: '/api/auth/totp/verify', summary: 'Confirm TOTP enrolment', tag: 'auth', access: ADMIN, body: auth.totpVerifySchema, response: api.totpVerifyResponseSchema },
  { method: 'post', path: '/api/auth/totp/disable', summary: 'Turn TOTP off', tag: 'auth', access: 'user', body: auth.totpDisableSchema, response: api.totpDisableResponseSchema },

  // Parents and child scans
  { method: 'post', path: '/api/parents/{qr}/open', summary: 'Open (or resume) a parent bag', tag: 'parents', access: SCANNERS, body: openParentBodySchema, response: api.parentResponseSchema },
  { method: 'get', path: '/api/parents/{qr}', summary: 'A parent bag and its children', tag: 'parents', access: 'user', response: api.parentResponseSchema },
  { method: 'post', path: '/api/parents/{qr}/children', summary: 'Scan a child bag into a parent', tag: 'parents', access: SCANNERS, body: scanBodySchema, response: api.childScanResponseSchema },
  { method: 'delete', path: '/api/parents/{qr}', summary: 'Delete an empty parent nothing depends on (frees its label)', tag: 'parents', access: ADMIN, response: api.parentDeleteResponseSchema },
  { method: 'delete', path: '/api/parents/{qr}/children/{childQr}', summary: 'Unlink a child bag', tag: 'parents', access: ['supervisor', 'admin'], response: api.childRemovalResponseSchema },
  { method: 'post', path: '/api/parents/{qr}/undo', summary: 'Undo the last scan', tag: 'parents', access: SCANNERS, body: undoBodySchema, response: api.childRemovalResponseSchema },
  { method: 'post', path: '/api/parents/{qr}/complete', summary: 'Complete a parent bag', tag: 'parents', access: SCANNERS, response: api.parentCompleteResponseSchema },
  { method: 'get', path: '/api/parents/{qr}/ws', summary: 'Scanner WebSocket (protocol in API.md)', tag: 'parents', access: SCANNERS, status: 101 },
  { method: 'get', path: '/api/live/sessions', summary: 'Open parents on the live board', tag: 'live', access: READERS, query: liveQuery, response: api.liveSessionsResponseSchema },
  { method: 'get', path: '/api/live/ws', summary: 'Live board WebSocket', tag: 'live', access: READERS, query: liveQuery, status: 101 },

  // Bills
  { method: 'post', path: '/api/bills', summary: 'Create a bill', tag: 'bills', access: WRITERS, body: createBillBodySchema, status: 201, response: api.billResponseSchema },
  { method: 'get', path: '/api/bills', summary: 'List bills', tag: 'bills', access: READERS, query: billListQuery, response: api.billPageSchema },
  { method: 'get', path: '/api/bills/{billNo}', summary: 'One bill', tag: 'bills', access: READERS, response: api.billResponseSchema },
  { method: 'patch', path: '/api/bills/{billNo}', summary: 'Record the measured weight', tag: 'bills', access: WRITERS, body: weighBillBodySchema, response: api.billResponseSchema },
  { method: 'post', path: '/api/bills/{billNo}/parents', summary: 'Scan a parent onto a bill', tag: 'bills', access: WRITERS, body: scanBodySchema, response: api.billScanResponseSchema },
  { method: 'delete', path: '/api/bills/{billNo}/parents/{qr}', summary: 'Take a parent off a bill', tag: 'bills', access: WRITERS, response: api.billResponseSchema },
  { method: 'post', path: '/api/bills/{billNo}/finalize', summary: 'Finalize a bill', tag: 'bills', access: WRITERS, response: api.billResponseSchema },
  { method: 'post', path: '/api/bills/{billNo}/reopen', summary: 'Reopen a finalized bill', tag: 'bills', access: ADMIN, response: api.billResponseSchema },
  { method: 'get', path: '/api/bills/{billNo}/ws', summary: 'Bill WebSocket', tag: 'bills', access: READERS, status: 101 },

  // Return tickets
  { method: 'post', path: '/api/returns', summary: 'Create a return ticket', tag: 'returns', access: WRITERS, body: createReturnBodySchema, status: 201, response: api.returnResponseSchema },
  { method: 'get', path: '/api/returns', summary: 'List return tickets', tag: 'returns', access: READERS, query: returnListQuery, response: api.returnPageSchema },
  { method: 'get', path: '/api/returns/{code}', summary: 'One return ticket', tag: 'returns', access: READERS, response: api.returnResponseSchema },
  { method: 'post', path: '/api/returns/{code}/parents', summary: 'Scan a returned parent', tag: 'returns', access: WRITERS, body: scanBodySchema, response: api.returnScanResponseSchema },
  { method: 'post', path: '/api/returns/{code}/finalize', summary: 'Finalize a return ticket', tag: 'returns', access: WRITERS, response: api.returnResponseSchema },
  { method: 'post', path: '/api/returns/{code}/cancel', summary: 'Cancel a return ticket', tag: 'returns', access: WRITERS, response: api.returnResponseSchema },

  // Read side
  { method: 'get', path: '/api/bags', summary: 'List bags', tag: 'read', access: 'user', query: bagListQuery, response: api.bagPageSchema },
  { method: 'get', path: '/api/bags/{qr}', summary: 'Look up any QR', tag: 'read', access: 'user', response: api.bagLookupSchema },
  { method: 'get', path: '/api/scans', summary: 'Scan history', tag: 'read', access: 'user', query: scanListQuery, response: api.scanPageSchema },
  { method: 'get', path: '/api/audit', summary: 'Audit log', tag: 'read', access: ADMIN, query: auditListQuery, response: api.auditPageSchema },
  { method: 'get', path: '/api/stats', summary: 'Dashboard figures (up to a second old; Cache-Control: no-cache reads them now)', tag: 'read', access: 'user', query: statsQuery, response: api.statsSchema },
  { method: 'get', path: '/api/stats/hourly', summary: 'Scans per hour, today and yesterday (up to a second old; Cache-Control: no-cache reads them now)', tag: 'read', access: 'user', query: hourlyQuery, response: api.hourlyStatsSchema },
  { method: 'get', path: '/api/conflicts', summary: 'Flush conflicts', tag: 'read', access: ['supervisor', 'admin'], query: conflictQuery, response: api.conflictPageSchema },
  { method: 'get', path: '/api/reports/daily', summary: 'Scans of one day per area and user', tag: 'reports', access: READERS, query: dailyQuery, response: api.dailyReportSchema },
  { method: 'get', path: '/api/reports/eod', summary: 'End of day per area and biller', tag: 'reports', access: WRITERS, query: eodQuery, response: api.eodReportSchema },
  { method: 'get', path: '/api/reports/bills', summary: 'Bills of a date range per biller', tag: 'reports', access: WRITERS, query: billsQuery, response: api.billsReportSchema },
  { method: 'get', path: '/api/reports/returns', summary: 'Returns of a date range per area', tag: 'reports', access: WRITERS, query: returnsQuery, response: api.returnsReportSchema },
  { method: 'get', path: '/api/export/bags.csv', summary: 'Bags as CSV', tag: 'exports', access: ['supervisor', 'biller', 'admin'], query: bagFiltersSchema, response: 'text/csv' },
  { method: 'get', path: '/api/export/scans.csv', summary: 'Scans as CSV', tag: 'exports', access: ['supervisor', 'biller', 'admin'], query: scanFiltersSchema, response: 'text/csv' },
  { method: 'get', path: '/api/export/audit.csv', summary: 'Audit log as CSV', tag: 'exports', access: ADMIN, query: auditFiltersSchema, response: 'text/csv' },
  { method: 'get', path: '/api/export/bills/{file}', summary: 'One bill as CSV ({billNo}.csv)', tag: 'exports', access: WRITERS, response: 'text/csv' },
  { method: 'get', path: '/api/export/returns.csv', summary: 'Returned parents as CSV', tag: 'exports', access: WRITERS, query: returnExportQuery, response: 'text/csv' },

  // Administration
  { method: 'get', path: '/api/areas', summary: 'Dispatch areas', tag: 'admin', access: 'user', response: api.areaPageSchema },
  { method: 'post', path: '/api/areas', summary: 'Create a dispatch area', tag: 'admin', access: ADMIN, body: createAreaBody, status: 201, response: api.areaResponseSchema },
  { method: 'get', path: '/api/users', summary: 'List users', tag: 'admin', access: ADMIN, query: userListQuery, response: api.userPageSchema },
  { method: 'post', path: '/api/users', summary: 'Create a user', tag: 'admin', access: ADMIN, body: createUserBody, status: 201, response: api.userResponseSchema },
  { method: 'patch', path: '/api/users/{id}', summary: 'Change a user', tag: 'admin', access: ADMIN, body: userPatchBody, response: api.userResponseSchema },
  { method: 'post', path: '/api/users/{id}/totp/reset', summary: "Reset a user's TOTP", tag: 'admin', access: ADMIN, response: api.userResponseSchema },
  { method: 'post', path: '/api/imports/rows', summary: 'Import rows (links or bill parents)', tag: 'admin', access: WRITERS, body: importRowsBodySchema, response: api.importResponseSchema },
  { method: 'post', path: '/api/admin/registry/rebuild', summary: 'Rebuild one page of the QR registry', tag: 'admin', access: ADMIN, body: rebuildSchema, response: api.registryRebuildResponseSchema },
  { method: 'get', path: '/api/admin/sign-in-throttles', summary: 'Sign-in throttles', tag: 'admin', access: ADMIN, query: throttleListQuery, response: api.throttlePageSchema },
  { method: 'post', path: '/api/admin/sign-in-throttles/clear', summary: 'Clear sign-in throttles', tag: 'admin', access: ADMIN, body: throttleClearBody, response: api.throttleClearResponseSchema },
];
