// bench:kill — PRODUCT.md: "A killed process (SIGKILL) mid-load loses no acknowledged scan."
// Starts the product, scans with N WebSocket clients as fast as acks come, SIGKILLs every process of
// the product (wrangler, workerd and the embedded Postgres) mid-load, restarts it on the same state,
// and checks that every acknowledged child is in its parent and, after the flush, in Postgres.
//   npm run bench:kill -- [--clients 20] [--seconds 5]
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { startProduct } from './servers';

const { values: args } = parseArgs({ options: { clients: { type: 'string', default: '20' }, seconds: { type: 'string', default: '5' } } });
const CLIENTS = Number(args.clients);
const RUN = Date.now().toString(36).toUpperCase().slice(-5);

async function token(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'dispatcher', password: 'tracetrack-dev' }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

function killEverythingUsing(dir: string, startPid: number): void {
  const victims = new Set<number>([startPid]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) victims.add(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  try {
    process.kill(-startPid, 'SIGKILL'); // the start script's group: tsx and the node running it, with PGlite
  } catch {
    // gone already
  }
  for (const pid of victims) {
    // wrangler leads its own process group (the start script spawns it detached): killing the group
    // takes its workerd processes too, whose command lines do not name the state folder.
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // not a group leader, or gone already
      }
    }
  }
}

async function waitUntilFree(port: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer().once('error', () => resolve(false)).once('listening', () => probe.close(() => resolve(true)));
      probe.listen(port, '127.0.0.1');
    });
    if (free) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  const first = await startProduct();
  const auth = { authorization: `Bearer ${await token(first.url)}` };
  const acked = new Map<string, string>(); // child → parent
  let sent = 0;
  let stop = false;

  const clients = Array.from({ length: CLIENTS }, async (_, i) => {
    let parentNo = 0;
    while (!stop) {
      const parent = `SB${String(10_000 + i * 100 + parentNo++).padStart(5, '0')}`;
      const opened = await fetch(`${first.url}/api/parents/${parent}/open`, { method: 'POST', headers: auth }).catch(() => null);
      if (!opened?.ok) {
        if (!stop) console.error(`open ${parent} failed: ${opened?.status} ${await opened?.text()}`);
        return;
      }
      const ws = new WebSocket(`${first.url.replace('http', 'ws')}/api/parents/${parent}/ws`, { headers: auth });
      await new Promise<void>((resolve) => {
        let n = 0;
        const next = () => {
          if (stop || n >= 30) return ws.close();
          const child = `K${RUN}${i}X${parentNo}N${n++}`;
          sent++;
          ws.send(JSON.stringify({ type: 'scan', qr: child, scanId: child }));
        };
        ws.on('open', next);
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as { type: string; result?: string; childQr?: string };
          if (msg.type !== 'ack') return;
          if (msg.result === 'linked' && msg.childQr) acked.set(msg.childQr, parent);
          next();
        });
        ws.on('close', () => resolve());
        ws.on('error', () => resolve());
      });
    }
  });

  await new Promise((r) => setTimeout(r, Number(args.seconds) * 1000));
  // SIGKILL everything the product runs: the start script (with the embedded Postgres inside it) and
  // wrangler's own process group with workerd, found by the state folder on their command lines.
  killEverythingUsing(first.dir, first.pid);
  stop = true;
  await Promise.allSettled(clients);
  console.log(`killed mid-load: ${sent} scans sent, ${acked.size} acknowledged as linked, ${sent - acked.size} in flight`);

  await waitUntilFree(first.pgPort);
  const second = await startProduct({ dir: first.dir, pgPort: first.pgPort });
  try {
    const auth2 = { authorization: `Bearer ${await token(second.url)}` };
    const byParent = new Map<string, string[]>();
    for (const [child, parent] of acked) byParent.set(parent, [...(byParent.get(parent) ?? []), child]);
    let missingInObjects = 0;
    for (const [parent, children] of byParent) {
      const res = await fetch(`${second.url}/api/parents/${parent}`, { headers: auth2 });
      const body = (await res.json()) as { parent?: { children: Array<{ qr: string }> } };
      const have = new Set(body.parent?.children.map((c) => c.qr) ?? []);
      missingInObjects += children.filter((c) => !have.has(c)).length;
    }
    const client = new pg.Client({ connectionString: second.databaseUrl! });
    await client.connect();
    const all = [...acked.keys()];
    let inPostgres = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const res = await client.query<{ n: string }>('SELECT count(*) AS n FROM links WHERE child_qr = ANY($1)', [all]);
      inPostgres = Number(res.rows[0]!.n);
      if (inPostgres === all.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const doubled = await client.query<{ n: string }>('SELECT count(*) AS n FROM scans WHERE scan_id = ANY($1) GROUP BY scan_id HAVING count(*) > 1', [all]);
    await client.end();
    console.log(
      JSON.stringify({ date: new Date().toISOString(), clients: CLIENTS, acknowledged: acked.size, missingInObjectsAfterRestart: missingInObjects, inPostgres, missingInPostgres: acked.size - inPostgres, doubledScans: doubled.rowCount }, null, 2),
    );
    if (missingInObjects > 0 || inPostgres !== acked.size) process.exitCode = 1;
  } finally {
    await second.stop();
  }
}

void main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
