// Return tickets (TraitorTrack's IPT returns): codes, request bodies and the views shared by the Worker,
// the ReturnTicket object and the UI.
import { z } from 'zod';
import { CHILD_WEIGHT_KG } from './bill';

/** Made by the server: RTN-<local date>-<4 hex digits>, e.g. RTN-20261203-4F2A. */
export const RETURN_CODE_PATTERN = /^RTN-\d{8}-[0-9A-F]{4}$/;
export const RETURN_CODE_FORMAT = 'RTN-YYYYMMDD-XXXX (4 hex digits), e.g. RTN-20261203-4F2A';
export const RETURN_NOTES_MAX = 500;

export function normalizeReturnCode(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isReturnCode(code: string): boolean {
  return RETURN_CODE_PATTERN.test(code);
}

/** A new code for `now` in the deployment's time zone; random suffix (the object refuses a code in use). */
export function makeReturnCode(now: number, timeZone: string, random: () => number = Math.random): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(now));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const suffix = Math.floor(random() * 0x10000).toString(16).toUpperCase().padStart(4, '0');
  return `RTN-${get('year')}${get('month')}${get('day')}-${suffix}`;
}

export const createReturnBodySchema = z.strictObject({
  /** The receiving area: the warehouse the bags come back to. */
  areaId: z.number({ error: 'areaId must be a number (the receiving dispatch area)' }).int('areaId must be a whole number').positive('areaId must be positive'),
  notes: z.string({ error: 'notes must be a string' }).trim().max(RETURN_NOTES_MAX, `notes is at most ${RETURN_NOTES_MAX} characters`).nullish(),
});
export type CreateReturnBody = z.infer<typeof createReturnBodySchema>;

export const RETURN_STATUSES = ['open', 'finalized', 'cancelled'] as const;

export interface NewReturn {
  code: string;
  areaId: number;
  notes: string | null;
}

// The views (ticket, its parents, a scan's outcome, a bill's returned line) are the HTTP contract's, in ./api.
export type {
  BillReturnView,
  ReturnParentView,
  ReturnScanResponse as ReturnScanOutcome,
  ReturnStatus,
  ReturnTicketView,
} from './api';

export function returnWeightKg(childCount: number): number {
  return childCount * CHILD_WEIGHT_KG;
}
