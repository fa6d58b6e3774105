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

/** The one close handler: answer the peer's close (unless the runtime already did). */
export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // already closed by the runtime's automatic close reply
  }
}
