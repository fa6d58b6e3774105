// The references bench:scan measures the product against, in the same run (never deployed):
// - the bare floor (`BareSession`): a Durable Object per "parent" that dedupes in memory, writes one SQLite
//   row and acks over its WebSocket. Nothing else: no auth, no registry, no fan-out.
// - the design floor (`FloorSession`): the same object plus the one thing this design cannot skip, a claim
//   of each new child in a sharded registry object (`FloorRegistry`) picked by the product's own shard
//   function and shard count, before the row is written and the scan acked.
import { DurableObject } from 'cloudflare:workers';
import { shardName } from '../../../src/durable/registry/shard';

interface BaselineEnv {
  BARE: DurableObjectNamespace<BareSession>;
  FLOOR: DurableObjectNamespace<FloorSession>;
  FLOOR_REGISTRY: DurableObjectNamespace<FloorRegistry>;
  REGISTRY_SHARDS: string;
}

interface ScanMessage {
  qr: string;
  scanId: string;
}

/** Dedupe in memory, one SQLite row per new child, ack: the least a parent object can do. */
export class BareSession extends DurableObject<BaselineEnv> {
  protected readonly seen = new Set<string>();

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

  /** Hook for the design floor: what happens to a child before it is recorded. `true` = recorded. */
  protected async claim(_qr: string): Promise<boolean> {
    return true;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const received = Date.now();
    const msg = JSON.parse(message as string) as ScanMessage;
    let result: 'duplicate' | 'linked' | 'rejected' = this.seen.has(msg.qr) ? 'duplicate' : 'linked';
    if (result === 'linked' && !(await this.claim(msg.qr))) result = 'rejected';
    if (result === 'linked') {
      this.seen.add(msg.qr);
      this.ctx.storage.sql.exec('INSERT INTO scans (qr, at) VALUES (?, ?)', msg.qr, received);
    }
    ws.send(JSON.stringify({ type: 'ack', scanId: msg.scanId, result, childCount: this.seen.size, serverMs: Date.now() - received }));
  }
}

/** The bare object plus one registry claim per new child: this design's floor. */
export class FloorSession extends BareSession {
  private readonly parentQr = this.ctx.id.name ?? this.ctx.id.toString();

  protected override async claim(qr: string): Promise<boolean> {
    const name = shardName(qr, Number(this.env.REGISTRY_SHARDS));
    const shard = this.env.FLOOR_REGISTRY.get(this.env.FLOOR_REGISTRY.idFromName(name));
    return shard.claimChild(qr, this.parentQr);
  }
}

/** A registry shard reduced to the claim: one lookup and one insert, synchronous, so claims are serialised. */
export class FloorRegistry extends DurableObject<BaselineEnv> {
  constructor(ctx: DurableObjectState, env: BaselineEnv) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS qrs (qr TEXT PRIMARY KEY, parent_qr TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID');
  }

  claimChild(qr: string, parentQr: string): boolean {
    const row = this.ctx.storage.sql.exec<{ parent_qr: string }>('SELECT parent_qr FROM qrs WHERE qr = ?', qr).toArray()[0];
    if (row) return row.parent_qr === parentQr;
    this.ctx.storage.sql.exec('INSERT INTO qrs (qr, parent_qr, updated_at) VALUES (?, ?, ?)', qr, parentQr, Date.now());
    return true;
  }
}

export default {
  async fetch(request: Request, env: BaselineEnv): Promise<Response> {
    const match = new URL(request.url).pathname.match(/^\/(parents|floor)\/([A-Za-z0-9]+)\/ws$/);
    if (!match) return new Response('not found', { status: 404 });
    const ns = match[1] === 'floor' ? env.FLOOR : env.BARE;
    return ns.get(ns.idFromName(match[2]!)).fetch(request);
  },
} satisfies ExportedHandler<BaselineEnv>;
