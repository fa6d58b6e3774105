// WebSocket close codes the server sends on parent, bill and board sockets, and what a client does with each.
// One table for the objects and the UI, so the two cannot drift (the board once waited for 4401 while the
// server sent 4001). Codes 4000–4999 are the application range of RFC 6455.

export const CLOSE_CODES = {
  /** Signed out, expired, idle too long, deactivated, or role/area changed: sign in again; never retry. */
  SESSION_ENDED: 4001,
  /** This user may not watch this object (role or area): retrying cannot help. */
  FORBIDDEN: 4003,
  /** The socket sent messages faster than its limit: reconnect after a pause. */
  RATE_LIMITED: 4008,
  /** The object holds as many sockets as it allows: reconnect later. */
  TOO_MANY_SOCKETS: 4009,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

export const CLOSE_REASONS: Record<CloseCode, string> = {
  [CLOSE_CODES.SESSION_ENDED]: 'session expired or signed out',
  [CLOSE_CODES.FORBIDDEN]: 'not allowed',
  [CLOSE_CODES.RATE_LIMITED]: 'too many messages',
  [CLOSE_CODES.TOO_MANY_SOCKETS]: 'too many connections',
};

/** What a client should do after its socket closed with `code`. 1008 (policy) is the runtime's refusal. */
export function closeAction(code: number): 'signed-out' | 'forbidden' | 'retry' {
  if (code === CLOSE_CODES.SESSION_ENDED) return 'signed-out';
  if (code === CLOSE_CODES.FORBIDDEN || code === 1008) return 'forbidden';
  return 'retry';
}
