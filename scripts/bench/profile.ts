// A CPU profile of the Worker and its Durable Objects through workerd's inspector (wrangler dev
// --inspector-port, set by WRANGLER_INSPECTOR_PORT for `npm start`): samples for --seconds, then prints the
// functions with the most self time (and the total per source file), and saves the .cpuprofile for DevTools.
//   tsx scripts/bench/profile.ts --port 9230 [--seconds 15] [--out /tmp/tt.cpuprofile] [--top 40]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '9230' },
    seconds: { type: 'string', default: '15' },
    out: { type: 'string', default: '/tmp/tracetrack.cpuprofile' },
    top: { type: 'string', default: '40' },
  },
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

async function main(): Promise<void> {
  const targets = (await (await fetch(`http://127.0.0.1:${args.port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string; title?: string }>;
  if (targets.length === 0) throw new Error('no inspector targets');
  console.log(`inspector targets: ${targets.map((t) => t.title ?? '?').join(', ')}`);
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown };
    if (msg.id !== undefined && pending.has(msg.id)) {
      if (msg.error) console.error('inspector error', msg.error);
      pending.get(msg.id)!(msg.result);
      pending.delete(msg.id);
    }
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const n = ++id;
      pending.set(n, resolve);
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 500 });
  await call('Profiler.start');
  await new Promise((r) => setTimeout(r, Number(args.seconds) * 1000));
  const { profile } = (await call('Profiler.stop')) as { profile: Profile };
  ws.close();
  writeFileSync(args.out, JSON.stringify(profile));

  // Self time per node from samples × time deltas.
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  const wallUs = profile.endTime - profile.startTime;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let busyUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    busyUs += us;
    const file = url.replace(/^.*\/(node_modules\/)?/, (m) => (m.includes('node_modules') ? 'node_modules/' : '')) || '(native)';
    const key = `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
  console.log(`profile: ${ms(wallUs)} ms wall, ${ms(busyUs)} ms on the isolate's thread (not idle), saved to ${args.out}`);
  console.log('\nself time by function:');
  for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top))) console.log(`${ms(us)} ms ${((100 * us) / busyUs).toFixed(1).padStart(5)} %  ${k}`);
  console.log('\nself time by file:');
  for (const [k, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${ms(us)} ms ${((100 * us) / busyUs).toFixed(1).padStart(5)} %  ${k}`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
