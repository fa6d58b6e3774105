/**
 * Responses from a Durable Object's fetch() have immutable headers; re-wrapping lets the Worker's
 * middleware add its headers, and keeps the WebSocket of a 101 upgrade.
 */
export function relayResponse(res: Response): Response {
  return new Response(res.body, { status: res.status, headers: new Headers(res.headers), webSocket: res.webSocket });
}
