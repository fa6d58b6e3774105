// What the TraitorTrack fixture (traitortrack-fixture.ts) holds and what TraceTrack must make of it: plain
// data, so the workerd tests can import it too.

/** Base32 as TraitorTrack stored it (lower case): the import normalizes it. */
export const ADMIN_TOTP_SECRET = 'jbswy3dpehpk3pxpjbswy3dpehpk3pxp';
export const ADMIN_TOTP_SECRET_BASE32 = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** TraitorTrack users, their passwords, and what TraceTrack should make of them. */
export const TT_USERS = {
  admin: { id: 1, password: 'Admin-old-pass-1', importedAs: 'admin-tt', role: 'admin', active: true },
  ravi: { id: 2, password: 'Ravi-old-pass-1', importedAs: 'ravi', role: 'dispatcher', active: true },
  raviUpper: { id: 3, password: 'Ravi-upper-pass-3', importedAs: 'Ravi-3', role: 'dispatcher', active: true },
  meena: { id: 4, password: 'Meena-biller-4', importedAs: 'meena', role: 'biller', active: true },
  sunil: { id: 5, password: 'Sunil-manager-5', importedAs: 'sunil', role: 'dispatcher', active: false },
  kiran: { id: 6, password: 'Kiran-delhi-6', importedAs: 'kiran', role: 'dispatcher', active: false },
  priya: { id: 7, password: 'Priya-unverified-7', importedAs: 'priya', role: 'dispatcher', active: false },
  bad: { id: 8, password: 'hunter2', importedAs: 'bad_user_', role: 'dispatcher', active: true },
  totpBroken: { id: 9, password: 'Totp-broken-9', importedAs: 'totpbroken', role: 'admin', active: true },
  amit: { id: 10, password: 'Amit-jaipur-10', importedAs: 'amit', role: 'dispatcher', active: true },
} as const;

/** What the imported parents hold (children by QR), their bills and areas. */
export const EXPECTED_PARENTS = {
  SB97001: { children: ['TTFXC001', 'TTFXC002', 'TTFXC003', 'TTFXC008', 'TTFXC014', 'TTFXC017'], status: 'completed', bill: 'BILL-A', area: 'Lucknow' },
  SB97002: { children: ['TTFXC004'], status: 'open', bill: null, area: 'Lucknow' },
  SB97003: { children: Array.from({ length: 32 }, (_, i) => `TTFXOC${String(i + 1).padStart(2, '0')}`), status: 'completed', bill: 'BILL-2022-7', area: 'Indore' },
  // Returned on ticket RTN-20220302-4F2A after it went on BILL-A: off the bill.
  SB97004: { children: ['TTFXC005'], status: 'completed', bill: null, area: 'Lucknow' },
  SB97005: { children: ['TTFXC006', 'TTFXC010', 'TTFXC011'], status: 'open', bill: 'BILL-A-302', area: 'Lucknow' },
  SB97006: { children: ['TTFX-BAD'], status: 'open', bill: 'BILL-2022-7', area: 'Lucknow' },
  SB97007: { children: ['TTFXC007'], status: 'open', bill: null, area: 'Lucknow' },
  SB97009: { children: [], status: 'open', bill: null, area: 'Jaipur' },
} as const;

/** Bills as TraceTrack should hold them. */
export const EXPECTED_BILLS = {
  'BILL-A': { parents: ['SB97001'], finalized: true, capacity: 2 },
  'BILL-A-302': { parents: ['SB97005'], finalized: false, capacity: 5 },
  'BILL-2022-7': { parents: ['SB97003', 'SB97006'], finalized: false, capacity: 2 },
  'BILL-C': { parents: [], finalized: false, capacity: 1 },
} as const;

/** Every anomaly kind the fixture contains (all of rules.ts except those that need TraceTrack data first). */
export const FIXTURE_ANOMALIES = [
  'username_changed', 'username_duplicate', 'username_taken', 'role_unknown', 'area_unknown', 'dispatcher_without_area', 'user_unverified',
  'password_unusable', 'totp_secret_invalid', 'qr_normalized', 'qr_missing', 'qr_duplicate_merged', 'qr_format', 'bag_type_unknown',
  'bag_area_unknown', 'bag_user_unknown', 'child_count_recounted', 'parent_over_capacity', 'link_orphan', 'link_wrong_type', 'link_duplicate',
  'link_conflict', 'link_from_parent_id', 'parent_id_disagrees', 'bill_no_changed', 'bill_no_duplicate', 'bill_capacity_invalid',
  'bill_over_capacity', 'bill_status_unknown', 'bill_totals_differ', 'bill_user_unknown', 'bill_bag_orphan', 'bill_bag_not_parent',
  'bill_bag_duplicate', 'bill_bag_conflict', 'scan_orphan', 'scan_time_missing', 'scan_user_unknown', 'audit_json_invalid', 'audit_user_unknown',
  'return_code_changed', 'return_code_duplicate', 'return_status_unknown', 'return_area_unknown', 'return_user_unknown', 'return_bag_orphan',
  'return_bag_not_parent', 'return_bag_duplicate', 'return_bag_no_bill', 'return_from_event', 'return_bill_bag_removed',
] as const;

/** The imported return tickets: TraitorTrack id → what TraceTrack holds (codes made by the import are checked by pattern). */
export const EXPECTED_RETURNS = {
  1: { code: 'RTN-20220302-4F2A', status: 'finalized', area: 'Lucknow', parents: [{ qr: 'SB97004', billNo: 'BILL-A', billFinalized: true, childCount: 1, by: 'meena' }] },
  2: { code: null, status: 'open', area: null, parents: [] },
  3: { code: null, status: 'cancelled', area: 'Indore', parents: [{ qr: 'SB97002', billNo: 'BILL-A-302', billFinalized: false, childCount: 1, by: null }] },
  4: { code: 'RTN-20220303-0001', status: 'open', area: 'Jaipur', parents: [] },
} as const;

/** First day of the fixture's history (naive UTC, as TraitorTrack stores it; 10:00 in Asia/Kolkata). */
export const FIXTURE_DAY = '2022-03-01';

/** Text that COPY's format must escape (tab, newline, backslash) and non-ASCII, carried through unchanged. */
export const BILL_A_DESCRIPTION = 'Dock 3\tगोदाम\nsecond line \\ with a backslash and \\N';
