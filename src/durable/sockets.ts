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
