// The destinations of each role (UI.md "Shell"): bottom navigation on phones, a side rail on desktop.
import type { Role } from '../api/types';

export interface Destination {
  path: string;
  label: string;
  icon: string;
}

const D = {
  scan: { path: '/scan', label: 'Scan', icon: '▣' },
  lookup: { path: '/lookup', label: 'Lookup', icon: '⌕' },
  history: { path: '/history', label: 'History', icon: '≡' },
  me: { path: '/me', label: 'Me', icon: '☺' },
  board: { path: '/board', label: 'Board', icon: '▦' },
  bills: { path: '/bills', label: 'Bills', icon: '⎘' },
  billScan: { path: '/bills/scan', label: 'Scan into bill', icon: '⇲' },
  reports: { path: '/reports', label: 'Reports', icon: '▤' },
  dashboard: { path: '/dashboard', label: 'Dashboard', icon: '◔' },
  admin: { path: '/admin', label: 'Admin', icon: '⚙' },
  bags: { path: '/bags', label: 'Bags', icon: '▢' },
} satisfies Record<string, Destination>;

/** The first entry is the role's home. Phones show the first four; the rail shows all. */
export const DESTINATIONS: Record<Role, Destination[]> = {
  dispatcher: [D.scan, D.lookup, D.history, D.me],
  supervisor: [D.scan, D.board, D.lookup, D.history, D.me],
  biller: [D.bills, D.billScan, D.lookup, D.reports, D.bags, D.me],
  admin: [D.dashboard, D.board, D.bills, D.admin, D.scan, D.lookup, D.bags, D.history, D.reports, D.me],
};

export function homeFor(role: Role): string {
  return DESTINATIONS[role][0]!.path;
}
