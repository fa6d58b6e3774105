// The catalog parts that are not in the scanner page: each screen names the parts it needs (app.tsx,
// `withParts`), and they are fetched together with its chunk, English and the language on screen. So the
// scanner page carries only the shell's and the scanner's words (budget: 60 KB gzip, first load under 2 s),
// and every part is still one file per language with the same keys (test/node/ui/i18n.test.ts).
import type { Language } from './catalog';
import type { Messages } from './translate';

type Loader = () => Promise<Messages>;

export const PARTS = {
  admin: { en: () => import('./en/admin').then((m) => m.admin), hi: () => import('./hi/admin').then((m) => m.admin) },
  billScan: { en: () => import('./en/bill-scan').then((m) => m.billScan), hi: () => import('./hi/bill-scan').then((m) => m.billScan) },
  bills: { en: () => import('./en/bills').then((m) => m.bills), hi: () => import('./hi/bills').then((m) => m.bills) },
  board: { en: () => import('./en/board').then((m) => m.board), hi: () => import('./hi/board').then((m) => m.board) },
  dashboard: { en: () => import('./en/dashboard').then((m) => m.dashboard), hi: () => import('./hi/dashboard').then((m) => m.dashboard) },
  importScreen: { en: () => import('./en/import').then((m) => m.importScreen), hi: () => import('./hi/import').then((m) => m.importScreen) },
  lists: { en: () => import('./en/lists').then((m) => m.lists), hi: () => import('./hi/lists').then((m) => m.lists) },
  lookup: { en: () => import('./en/lookup').then((m) => m.lookup), hi: () => import('./hi/lookup').then((m) => m.lookup) },
  me: { en: () => import('./en/me').then((m) => m.me), hi: () => import('./hi/me').then((m) => m.me) },
  reports: { en: () => import('./en/reports').then((m) => m.reports), hi: () => import('./hi/reports').then((m) => m.reports) },
  returns: { en: () => import('./en/returns').then((m) => m.returns), hi: () => import('./hi/returns').then((m) => m.returns) },
  system: { en: () => import('./en/system').then((m) => m.system), hi: () => import('./hi/system').then((m) => m.system) },
} as const satisfies Record<string, Record<Language, Loader>>;

export type PartName = keyof typeof PARTS;
