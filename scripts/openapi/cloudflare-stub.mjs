// Stand-ins for the workerd-only modules, so Node can import the route modules to read their schemas
// (writing the OpenAPI document never runs a route, opens a socket or builds a Durable Object).
export class DurableObject {}
export function connect() {
  throw new Error('cloudflare:sockets is not available in Node');
}
