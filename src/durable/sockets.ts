import type { z } from 'zod';
import { describeZodError } from '../shared/validation';
import { fail, ok, type RpcResult } from './rpc';
/** Sends one frame to every WebSocket of an object; a socket closing under us does not stop the rest. */
export function broadcast(ctx: DurableObjectState, text: string): void {
  for (const ws of ctx.getWebSockets()) {
    try {
      ws.send(text);
    } catch {
      // closing socket
    }
  }
}

/**
 * The one close handler: answer the peer's close (unless the runtime already did). A close without a
 * status arrives as 1005 (or 1006 when the connection dropped), codes that may not be sent back; echoing
 * them threw, no close frame went out, and clients waited for their timeout before `close` fired.
 */
export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  const sendable = code === 1000 || (code >= 3000 && code <= 4999) || (code >= 1001 && code <= 1014 && code !== 1005 && code !== 1006);
  try {
    ws.close(sendable ? code : 1000, sendable ? reason : '');
  } catch {
    // already closed by the runtime's automatic close reply
  }
}

/**
 * A client's WebSocket message as the object's protocol (zod) defines it, or the error to answer with:
 * one parser for every object that takes messages, so size, JSON and schema errors read the same everywhere.
 */
export function parseSocketMessage<T>(message: string | ArrayBuffer, schema: z.ZodType<T>, maxBytes: number): RpcResult<T> {
  if (typeof message !== 'string') return fail({ code: 'INVALID_INPUT', message: 'Messages must be JSON text.' });
  if (longerThan(message, maxBytes)) return fail({ code: 'PAYLOAD_TOO_LARGE', message: `Messages are at most ${maxBytes} bytes.` });
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return fail({ code: 'INVALID_INPUT', message: 'Message is not valid JSON.' });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return fail({ code: 'INVALID_INPUT', message: `Invalid message: ${describeZodError(parsed.error, 'body')}` });
  return ok(parsed.data);
}

const encoder = new TextEncoder();

/**
 * Whether the frame is over `limit` bytes as it came over the wire (UTF-8), not UTF-16 code units: "€" is one
 * unit but three bytes. A unit is 1 to 3 bytes, so the cheap bounds decide most messages without encoding them.
 */
function longerThan(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return encoder.encode(text).byteLength > limit;
}
