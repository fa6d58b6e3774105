// THE role matrix: every route of the Worker and who may call it. test/workers/role-matrix.test.ts calls
// each route as every role and anonymously and compares the answers with this table; it also fails when
// the app registers a route that is missing here. Adding a route = adding one line below (and, if its path
// has a new :param, one sample value in PARAM_SAMPLES).
import type { Role } from '../../src/shared/types';

export type Caller = Role | 'anonymous';
export const CALLERS: readonly Caller[] = ['anonymous', 'dispatcher', 'supervisor', 'biller', 'admin'];

const ANYONE: readonly Caller[] = CALLERS;
const SIGNED_IN: readonly Caller[] = ['dispatcher', 'supervisor', 'biller', 'admin'];
const SCANNERS: readonly Caller[] = ['dispatcher', 'supervisor', 'admin'];
const UNLINKERS: readonly Caller[] = ['supervisor', 'admin'];
const BOARD: readonly Caller[] = ['supervisor', 'biller', 'admin'];
const BILLING: readonly Caller[] = ['biller', 'admin'];
/** Bills are read by supervisors too (their parents go on them); only billers and admins change them. */
const BILL_READERS: readonly Caller[] = ['supervisor', 'biller', 'admin'];
const ADMIN: readonly Caller[] = ['admin'];
/** Who acts on flush conflicts: supervisors (their area) and admins. */
const SUPERVISING: readonly Caller[] = ['supervisor', 'admin'];

export interface RouteRule {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As registered in Hono, e.g. /api/users/:id. */
  path: string;
  allow: readonly Caller[];
  /**
   * A body that reaches the handler without doing anything global (a validation error is fine: the
   * answer is then 400, which still shows the role was let through).
   */
  body?: unknown;
  /** Fuzzing a valid body would have side effects beyond the test's data (see why). */
  noFuzz?: string;
}

const r = (method: RouteRule['method'], path: string, allow: readonly Caller[], extra: Partial<RouteRule> = {}): RouteRule => ({ method, path, allow, ...extra });

export const ROUTE_MATRIX: readonly RouteRule[] = [
  r('GET', '/health', ANYONE),
  r('GET', '/health/detailed', ADMIN),
  r('GET', '/metrics', ADMIN),
  r('GET', '/api/system', ADMIN),
  r('GET', '/api/openapi.json', ANYONE),
  r('GET', '/api/docs', ANYONE),
  r('POST', '/api/auth/login', ANYONE, { body: {} }),
  r('POST', '/api/auth/token', ANYONE, { body: {} }),
  r('POST', '/api/auth/logout', ANYONE),
  r('GET', '/api/auth/me', SIGNED_IN),
  r('PATCH', '/api/auth/me', SIGNED_IN, { body: {} }),
  r('POST', '/api/auth/password', SIGNED_IN, { body: {} }),
  r('POST', '/api/auth/totp/setup', ADMIN, { body: {} }),
  r('POST', '/api/auth/totp/verify', ADMIN, { body: {} }),
  r('POST', '/api/auth/totp/disable', SIGNED_IN, { body: {} }),
  r('POST', '/api/parents/:qr/open', SCANNERS, { body: { areaId: 'not-a-number' } }),
  r('GET', '/api/parents/:qr', SIGNED_IN),
  r('POST', '/api/parents/:qr/children', SCANNERS, { body: {} }),
  r('DELETE', '/api/parents/:qr', ADMIN),
  r('DELETE', '/api/parents/:qr/children/:childQr', UNLINKERS),
  r('POST', '/api/parents/:qr/undo', SCANNERS),
  r('POST', '/api/parents/:qr/complete', SCANNERS),
  r('GET', '/api/parents/:qr/ws', SCANNERS),
  r('GET', '/api/live/sessions', BOARD),
  r('GET', '/api/live/ws', BOARD),
  r('POST', '/api/admin/registry/rebuild', ADMIN, { body: { limit: 0 }, noFuzz: 'a valid body re-imports the registry from Postgres, racing the other test files' }),
  r('GET', '/api/admin/sign-in-throttles', ADMIN),
  r('POST', '/api/admin/sign-in-throttles/clear', ADMIN, { body: {} }),
  r('POST', '/api/imports/rows', BILLING, { body: {} }),
  r('GET', '/api/users', ADMIN),
  r('POST', '/api/users', ADMIN, { body: {} }),
  r('PATCH', '/api/users/:id', ADMIN, { body: {} }),
  r('POST', '/api/users/:id/totp/reset', ADMIN),
  r('GET', '/api/areas', SIGNED_IN),
  r('POST', '/api/areas', ADMIN, { body: {} }),
  r('POST', '/api/bills', BILLING, { body: {} }),
  r('GET', '/api/bills', BILL_READERS),
  r('GET', '/api/bills/:billNo', BILL_READERS),
  r('PATCH', '/api/bills/:billNo', BILLING, { body: {} }),
  r('POST', '/api/bills/:billNo/parents', BILLING, { body: {} }),
  r('DELETE', '/api/bills/:billNo/parents/:qr', BILLING),
  r('POST', '/api/bills/:billNo/finalize', BILLING),
  r('POST', '/api/bills/:billNo/reopen', ADMIN),
  r('GET', '/api/bills/:billNo/ws', BILL_READERS),
  r('POST', '/api/returns', BILLING, { body: {} }),
  r('GET', '/api/returns', BILL_READERS),
  r('GET', '/api/returns/:code', BILL_READERS),
  r('POST', '/api/returns/:code/parents', BILLING, { body: {} }),
  r('POST', '/api/returns/:code/finalize', BILLING),
  r('POST', '/api/returns/:code/cancel', BILLING),
  r('GET', '/api/bags', SIGNED_IN),
  r('GET', '/api/bags/:qr', SIGNED_IN),
  r('GET', '/api/scans', SIGNED_IN),
  r('GET', '/api/audit', ADMIN),
  r('GET', '/api/stats', SIGNED_IN),
  r('GET', '/api/stats/hourly', SIGNED_IN),
  r('GET', '/api/conflicts', SUPERVISING),
  r('GET', '/api/reports/daily', BOARD),
  r('GET', '/api/reports/eod', BILLING),
  r('GET', '/api/reports/bills', BILLING),
  r('GET', '/api/reports/returns', BILLING),
  r('GET', '/api/export/bags.csv', BOARD),
  r('GET', '/api/export/scans.csv', BOARD),
  r('GET', '/api/export/audit.csv', ADMIN),
  r('GET', '/api/export/bills/:file', BILLING),
  r('GET', '/api/export/returns.csv', BILLING),
];

/** Sample values for path parameters: a parent never opened, a child never linked, a user id that does not exist. */
export const PARAM_SAMPLES: Record<string, string> = {
  qr: 'SB00001',
  childQr: 'CMATRIX0001',
  id: '2147480000',
  billNo: 'MATRIX-BILL-1',
  file: 'MATRIX-BILL-1.csv',
  code: 'RTN-20200101-0000',
};

export function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const sample = PARAM_SAMPLES[name];
    if (sample === undefined) throw new Error(`role-matrix: add a sample for :${name} to PARAM_SAMPLES`);
    return encodeURIComponent(sample);
  });
}

export const matrixKey = (method: string, path: string) => `${method} ${path}`;

export const ROLE_SETS = { ANYONE, SIGNED_IN, SCANNERS, UNLINKERS, BOARD, BILLING, BILL_READERS, ADMIN, SUPERVISING };
