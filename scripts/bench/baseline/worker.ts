// The floor of this machine for bench:scan: a bare Durable Object per "parent" that dedupes in memory,
// writes one SQLite row and acks over its WebSocket. Nothing else: no auth, no registry, no fan-out.
import { DurableObject } from 'cloudflare:workers';

interface BaselineEnv {
  BARE: DurableObjectNamespace<BareSession>;
}

export class BareSession extends DurableObject<BaselineEnv> {
  private readonly seen = new Set<string>();

  constructor(ctx: DurableObjectState, env: BaselineEnv) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS scans (qr TEXT PRIMARY KEY, at INTEGER NOT NULL)');
    for (const row of ctx.storage.sql.exec<{ qr: string }>('SELECT qr FROM scans')) this.seen.add(row.qr);
  }

  override async fetch(): Promise<Response> {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const received = Date.now();
    const msg = JSON.parse(message as string) as { qr: string; scanId: string };
    const duplicate = this.seen.has(msg.qr);
    if (!duplicate) {
      this.seen.add(msg.qr);
      this.ctx.storage.sql.exec('INSERT INTO scans (qr, at) VALUES (?, ?)', msg.qr, received);
    }
    ws.send(JSON.stringify({ type: 'ack', scanId: msg.scanId, result: duplicate ? 'duplicate' : 'linked', childCount: this.seen.size, serverMs: Date.now() - received }));
  }
}

export default {
  async fetch(request: Request, env: BaselineEnv): Promise<Response> {
    const match = new URL(request.url).pathname.match(/^\/parents\/([A-Za-z0-9]+)\/ws$/);
    if (!match) return new Response('not found', { status: 404 });
    return env.BARE.get(env.BARE.idFromName(match[1]!)).fetch(request);
  },
} satisfies ExportedHandler<BaselineEnv>;
