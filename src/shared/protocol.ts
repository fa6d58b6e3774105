// One message protocol for the parent-bag WebSocket, the live board and the HTTP bodies that share
// their shapes. The Durable Objects, the Worker and the UI all import from here.
import { z } from 'zod';
import { errorResponseSchema, sessionSummarySchema } from './api';
import type { ErrorBody } from './errors';
import { MAX_RAW_QR_LENGTH } from './qr';
import type { BillStatus, BillView, ParentStatus, ParentView, ScanResult, SessionSummary } from './types';

/** A client-chosen idempotency key (UUID, ULID…): repeating it returns the first answer. */
export const scanIdSchema = z
  .string()
  .min(1, 'scanId must not be empty')
  .max(64, 'scanId is at most 64 characters')
  .regex(/^[\x21-\x7e]+$/, 'scanId must be printable ASCII without spaces');

export const rawQrSchema = z
  .string({ error: 'qr must be a string' })
  .max(MAX_RAW_QR_LENGTH, `qr is at most ${MAX_RAW_QR_LENGTH} characters`);

export const scanBodySchema = z.strictObject({ qr: rawQrSchema, scanId: scanIdSchema.optional() });
export type ScanBody = z.infer<typeof scanBodySchema>;

export const openParentBodySchema = z.strictObject({
  // Users without an area (admins) say which area a new parent belongs to.
  areaId: z.number().int().positive().optional(),
});

// ---- Parent WebSocket: client → server ----
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('scan'), qr: rawQrSchema, scanId: scanIdSchema }),
  z.strictObject({ type: z.literal('undo'), scanId: scanIdSchema }),
  z.strictObject({ type: z.literal('resync') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

// ---- Parent WebSocket: server → client ----
export interface StateMessage {
  type: 'state';
  parent: ParentView;
}

export interface AckMessage {
  type: 'ack';
  scanId: string;
  result: ScanResult;
  childQr: string;
  childCount: number;
  capacity: number;
  status: ParentStatus;
  error?: ErrorBody;
}

export interface UndoAckMessage {
  type: 'undone';
  scanId: string;
  removed: string | null;
  childCount: number;
  error?: ErrorBody;
}

export interface ParentEventMessage {
  type: 'linked' | 'unlinked' | 'completed';
  parentQr: string;
  childQr?: string;
  childCount: number;
  status: ParentStatus;
  by: string;
  at: string;
}

/**
 * Sent for a message that could not be parsed or was over the socket's rate (RATE_LIMITED; the socket stays
 * open), and before a close for a limit (TOO_MANY_SOCKETS, then close 4009).
 */
export interface ProtocolErrorMessage {
  type: 'error';
  error: ErrorBody;
}

export type ServerMessage = StateMessage | AckMessage | UndoAckMessage | ParentEventMessage | ProtocolErrorMessage;

// ---- Live board: server → client ----
export interface SnapshotMessage {
  type: 'snapshot';
  sessions: SessionSummary[];
}

/** One parent's summary changed (API.md). */
export interface SessionMessage extends SessionSummary {
  type: 'session';
}

/**
 * Extension (issue 15 point 4): several parents' summaries changed within one of the board's broadcast
 * windows (BOARD_BROADCAST_MS), sent as one frame, the newest summary per parent. A board sends `session` when
 * a window holds one change and `sessions` when it holds more; clients apply both the same way.
 */
export interface SessionsMessage {
  type: 'sessions';
  sessions: SessionSummary[];
}

export type BoardMessage = SnapshotMessage | SessionMessage | SessionsMessage | ProtocolErrorMessage;

/**
 * The board socket's frames as zod schemas, for readers that check what they receive (tests, bench scripts);
 * the UI reads them by type only (zod stays out of its bundle). Kept equal to `BoardMessage` (checked below).
 */
export const boardMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('snapshot'), sessions: z.array(sessionSummarySchema) }),
  sessionSummarySchema.extend({ type: z.literal('session') }),
  z.strictObject({ type: z.literal('sessions'), sessions: z.array(sessionSummarySchema).min(1) }),
  errorResponseSchema.extend({ type: z.literal('error') }),
]);
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const boardMessageMatches: SameShape<Exclude<z.infer<typeof boardMessageSchema>, { type: 'error' }>, Exclude<BoardMessage, { type: 'error' }>> = true;
void boardMessageMatches;

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

// ---- Bill WebSocket (GET /api/bills/{billNo}/ws): server → client ----
export interface BillStateMessage {
  type: 'state';
  bill: BillView;
}

/** Sent to every socket of the bill on each change; counts are the bill's after the change. */
export interface BillEventMessage {
  /** 'weighed' (issue 9): the measured weight was set or cleared. */
  /** 'returned' (issue 13): a return ticket took parentQr off the bill. */
  type: 'added' | 'removed' | 'finalized' | 'reopened' | 'weighed' | 'returned';
  billNo: string;
  parentQr?: string;
  parentCount: number;
  childCount: number;
  status: BillStatus;
  finalized: boolean;
  by: string;
  at: string;
}

/** A child was scanned into (or removed from) one of the bill's parents while the bill is open. */
export interface BillParentMessage {
  type: 'parent';
  billNo: string;
  parentQr: string;
  /** That parent's child count now. */
  parentChildCount: number;
  parentCount: number;
  childCount: number;
  status: BillStatus;
  finalized: boolean;
}

export type BillServerMessage = BillStateMessage | BillEventMessage | BillParentMessage | ProtocolErrorMessage;

// ---- Bill WebSocket: client → server (the socket is for watching; changes go through HTTP) ----
export const billClientMessageSchema = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('resync') })]);
export type BillClientMessage = z.infer<typeof billClientMessageSchema>;
