// A local stand-in for Neon's HTTP SQL endpoint, over `pg`, so the neon-http driver path runs in tests against
// any Postgres. It answers what @neondatabase/serverless 1.x sends (see its `execute` in index.mjs):
//   POST /sql  {query, params} | {queries: [{query, params}, …]}   (a batch runs in one transaction)
//   headers Neon-Array-Mode, Neon-Raw-Text-Output, Neon-Batch-Isolation-Level/-Read-Only/-Deferrable
//   200 → {fields:[{name,dataTypeID}], rows, command, rowCount, rowAsArray} or {results:[…]}, values as text
//   400 → {message, code, detail, …} on SQL errors, which the driver turns into a NeonDbError with those fields.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

interface QueryBody {
  query: string;
  params?: unknown[];
}

export interface NeonHttpEndpoint {
  /** Give this to NEON_HTTP_ENDPOINT / neonConfig.fetchEndpoint. */
  url: string;
  /** What the endpoint has seen, for tests that check how many parameters a statement carried. */
  stats: { requests: number; statements: number; maxParams: number };
  stop(): Promise<void>;
}

const ERROR_FIELDS = [
  'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where',
  'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

// Every value stays Postgres text: the driver parses types itself, as it does with Neon's answers.
const rawText = { getTypeParser: () => (value: string) => value };

const ISOLATION: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function runOne(client: pg.PoolClient, body: QueryBody, arrayMode: boolean) {
  const result = await client.query({
    text: body.query,
    values: body.params ?? [],
    rowMode: arrayMode ? 'array' : undefined,
    types: rawText,
  } as pg.QueryConfig);
  return {
    fields: result.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      tableID: f.tableID,
      columnID: f.columnID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
      format: 'text',
    })),
    rows: result.rows,
    command: result.command,
    rowCount: result.rowCount,
    rowAsArray: arrayMode,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Starts the endpoint. With `databaseUrl` every request goes there; without it, like Neon, each request goes to
 * the database its Neon-Connection-String header names (one endpoint then serves several test databases,
 * which matters because the driver's fetchEndpoint setting is global).
 */
export async function startNeonHttpEndpoint(databaseUrl?: string, options: { port?: number } = {}): Promise<NeonHttpEndpoint> {
  const pools = new Map<string, pg.Pool>();
  const poolFor = (url: string): pg.Pool => {
    let pool = pools.get(url);
    if (!pool) {
      pool = new pg.Pool({ connectionString: url, max: 4 });
      pool.on('error', () => {}); // an idle client dropped by the server: the next request reconnects
      pools.set(url, pool);
    }
    return pool;
  };
  const stats = { requests: 0, statements: 0, maxParams: 0 };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, { message: 'POST only' });
    const body = (await readJson(req)) as QueryBody | { queries: QueryBody[] };
    const arrayMode = header(req, 'Neon-Array-Mode') === 'true';
    const queries = 'queries' in body ? body.queries : [body];
    stats.requests++;
    for (const q of queries) {
      stats.statements++;
      stats.maxParams = Math.max(stats.maxParams, q.params?.length ?? 0);
    }
    const target = databaseUrl ?? header(req, 'Neon-Connection-String');
    if (!target) return send(res, 400, { message: 'no Neon-Connection-String header and no fixed database' });
    const client = await poolFor(target).connect();
    let inTransaction = false;
    try {
      if ('queries' in body) {
        const level = ISOLATION[header(req, 'Neon-Batch-Isolation-Level') ?? ''];
        const readOnly = header(req, 'Neon-Batch-Read-Only') === 'true';
        const deferrable = header(req, 'Neon-Batch-Deferrable') === 'true';
        await client.query(
          `BEGIN${level ? ` ISOLATION LEVEL ${level}` : ''}${readOnly ? ' READ ONLY' : ''}${deferrable ? ' DEFERRABLE' : ''}`,
        );
        inTransaction = true;
        const results = [];
        for (const q of body.queries) results.push(await runOne(client, q, arrayMode));
        await client.query('COMMIT');
        inTransaction = false;
        send(res, 200, { results });
      } else {
        send(res, 200, await runOne(client, body, arrayMode));
      }
    } catch (error) {
      if (inTransaction) await client.query('ROLLBACK').catch(() => {});
      const e = error as Record<string, unknown> & { message?: string };
      if (typeof e.code === 'string' && e.severity !== undefined) {
        const answer: Record<string, unknown> = { message: e.message };
        for (const f of ERROR_FIELDS) if (e[f] !== undefined) answer[f] = e[f];
        send(res, 400, answer);
      } else {
        send(res, 500, { message: e.message ?? String(error) });
      }
    } finally {
      client.release();
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sql`,
    stats,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...pools.values()].map((p) => p.end()));
    },
  };
}
