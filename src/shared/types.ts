// Shapes of the API contract shared by the Worker, the Durable Objects and the UI.

export const ROLES = ['dispatcher', 'supervisor', 'biller', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  areaId: number | null;
}

export type ParentStatus = 'open' | 'completed';

export interface ChildView {
  qr: string;
  linkedAt: string;
  by: string;
}

export interface ParentView {
  qr: string;
  areaId: number;
  status: ParentStatus;
  childCount: number;
  capacity: number;
  children: ChildView[];
  billNo?: string | null;
  billFinalized?: boolean;
}

export type ScanResult = 'linked' | 'duplicate' | 'rejected';

/** One open parent as the live board shows it. */
export interface SessionSummary {
  parentQr: string;
  areaId: number;
  childCount: number;
  capacity: number;
  status: ParentStatus;
  lastScanAt: string | null;
  by: string | null;
}
