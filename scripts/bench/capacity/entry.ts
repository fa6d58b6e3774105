// bench:capacity's Worker entry (never deployed): the product's own Worker and objects, plus one route that
// performs exactly one operation of one object kind per request, so a run can drive a single kind in isolation
// and divide workerd's CPU by the operations. Started by scripts/bench/capacity.ts through WRANGLER_MAIN
// (scripts/lib/stack.ts), on a throwaway local state; every other path goes to the product unchanged.
import product from '../../../src/worker/index';
import type { QueuedRow } from '../../../src/durable/flush/flush-queue';
import type { SessionSummary, SessionUser } from '../../../src/shared/types';
import { boardFor, flushQueueFor, parentFor, registryFor } from '../../../src/durable/stubs';

export * from '../../../src/worker/index';

type Op =
  | { op: 'noop' }
  | { op: 'claim'; childQr: string; parentQr: string }
  | { op: 'board'; summary: SessionSummary }
  | { op: 'flush'; key: string; rows: QueuedRow[] }
  | { op: 'open'; user: SessionUser; parentQr: string }
  | { op: 'scan'; user: SessionUser; parentQr: string; childQr: string; scanId: string };

async function perform(env: Env, body: Op): Promise<unknown> {
  switch (body.op) {
    case 'noop':
      return null;
    case 'claim':
      return registryFor(env, body.childQr).claimChild(body.childQr, body.parentQr);
    case 'board':
      return boardFor(env, body.summary.areaId).update(body.summary);
    case 'flush':
      return flushQueueFor(env, body.key).enqueue(body.rows);
    case 'open':
      return parentFor(env, body.parentQr).open(body.user, body.parentQr);
    case 'scan':
      return parentFor(env, body.parentQr).scan(body.user, body.childQr, body.scanId);
  }
}

export default {
  ...product,
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    if (new URL(request.url).pathname !== '/api/__capacity') return product.fetch(request, env, ctx);
    if (env.ENVIRONMENT !== 'development') return new Response('not found', { status: 404 });
    // A batch of operations, run together (as many objects would call at once); each one timed here, so the
    // figures leave out the HTTP hop from the load generator.
    const ops = (await request.json()) as Op[];
    const answers = await Promise.all(
      ops.map(async (op) => {
        const started = performance.now();
        const result = await perform(env, op);
        return { result: result ?? null, ms: performance.now() - started };
      }),
    );
    return Response.json({ answers });
  },
} satisfies ExportedHandler<Env>;
