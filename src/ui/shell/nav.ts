// The destinations of each role (UI.md "Shell"): bottom navigation on phones, a side rail on desktop.
import type { Role } from '../api/types';
import type { MessageKey } from '../i18n';
import type { IconName } from './icons';

export interface Destination {
  path: string;
  /** Catalog key of the label (nav.*). */
  label: Extract<MessageKey, `nav.${string}`>;
  icon: IconName;
}

const D = {
  scan: { path: '/scan', label: 'nav.scan', icon: 'scan' },
  lookup: { path: '/lookup', label: 'nav.lookup', icon: 'lookup' },
  history: { path: '/history', label: 'nav.history', icon: 'history' },
  me: { path: '/me', label: 'nav.me', icon: 'me' },
  board: { path: '/board', label: 'nav.board', icon: 'board' },
  bills: { path: '/bills', label: 'nav.bills', icon: 'bills' },
  billScan: { path: '/bills/scan', label: 'nav.billScan', icon: 'billScan' },
  reports: { path: '/reports', label: 'nav.reports', icon: 'reports' },
  dashboard: { path: '/dashboard', label: 'nav.dashboard', icon: 'dashboard' },
  admin: { path: '/admin', label: 'nav.admin', icon: 'admin' },
  bags: { path: '/bags', label: 'nav.bags', icon: 'bags' },
  returns: { path: '/returns', label: 'nav.returns', icon: 'returns' },
  import: { path: '/import', label: 'nav.import', icon: 'import' },
  system: { path: '/system', label: 'nav.system', icon: 'system' },
} as const satisfies Record<string, Destination>;

/** The first entry is the role's home. Phones show the first PHONE_COUNT; the rail shows all. */
export const DESTINATIONS: Record<Role, Destination[]> = {
  dispatcher: [D.scan, D.lookup, D.history, D.me],
  // A supervisor's shift is watching the floor: the board is home; scanning is one tap away.
  supervisor: [D.board, D.scan, D.lookup, D.history, D.me],
  biller: [D.bills, D.billScan, D.lookup, D.reports, D.returns, D.bags, D.import, D.me],
  admin: [D.dashboard, D.board, D.bills, D.admin, D.scan, D.lookup, D.bags, D.history, D.reports, D.returns, D.import, D.system, D.me],
};

/** How many destinations fit the phone's bottom bar (UI.md: four, and the supervisor's Board besides). */
export const PHONE_COUNT: Record<Role, number> = { dispatcher: 4, supervisor: 5, biller: 4, admin: 4 };

export function homeFor(role: Role): string {
  return DESTINATIONS[role][0]!.path;
}

/**
 * The one destination a path belongs to: the longest destination path that is the path itself or a prefix
 * of it at a "/" ("/bills/scan" is Scan into bill, not Bills too; "/bills/B-17" is Bills). Null when none.
 */
export function activeDestination(destinations: readonly Destination[], path: string): string | null {
  let best: string | null = null;
  for (const d of destinations) {
    const match = path === d.path || path.startsWith(`${d.path}/`);
    if (match && (best === null || d.path.length > best.length)) best = d.path;
  }
  return best;
}
