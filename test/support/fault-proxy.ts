// A TCP proxy in front of Postgres whose link tests can cut and restore over HTTP, to prove that
// scanning goes on while Postgres is down and the backlog drains afterwards.
//   POST {control}/down  – drop every connection and refuse new ones
//   POST {control}/up    – accept connections again
import { createServer as createHttpServer } from 'node:http';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  url: string; // Postgres URL through the proxy
  controlUrl: string;
  stop(): Promise<void>;
}

export async function startFaultProxy(databaseUrl: string): Promise<FaultProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  let up = true;

  const proxy = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as AddressInfo).port;

  const control = createHttpServer((req, res) => {
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ up }));
    if (req.url === '/down' && up) {
      // Like a stopped server: live connections die and new ones are refused.
      up = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
      proxy.close(() => answer());
    } else if (req.url === '/up' && !up) {
      up = true;
      proxy.listen(port, '127.0.0.1', () => answer());
    } else {
      answer();
    }
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return {
    url: proxied.toString(),
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    async stop() {
      for (const s of sockets) s.destroy();
      if (up) await new Promise((r) => proxy.close(r));
      await new Promise((r) => control.close(r));
    },
  };
}
