// CPU seconds per process of a process tree, from /proc (Linux only): bench:scan prints how the measured
// window's CPU split between workerd, the Node process holding PGlite, wrangler and the load generator itself.
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  name: string;
  cpuSeconds: number;
}

const TICKS = 100; // USER_HZ on Linux

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return {
      pid,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      name: describe(cmdline, stat.slice(stat.indexOf('(') + 1, close)),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS,
    };
  } catch {
    return null;
  }
}

function describe(cmdline: string[], comm: string): string {
  const joined = cmdline.join(' ');
  if (/workerd/.test(comm) || /workerd/.test(cmdline[0] ?? '')) return 'workerd';
  if (/scripts\/start\.ts/.test(joined)) return 'node: start.ts (embedded PGlite)';
  if (/wrangler/.test(joined)) return 'node: wrangler dev';
  if (/esbuild/.test(joined)) return 'esbuild';
  return comm;
}

/** Every process under `root` (itself included). */
export function treeOf(root: number): Proc[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is Proc => p !== null);
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const walk = (pid: number) => {
    const self = all.find((p) => p.pid === pid);
    if (self) out.push(self);
    for (const c of children.get(pid) ?? []) walk(c.pid);
  };
  walk(root);
  return out;
}

export type CpuSnapshot = Map<number, Proc>;

export function snapshot(root: number): CpuSnapshot {
  return new Map(treeOf(root).map((p) => [p.pid, p]));
}

/** CPU seconds spent between two snapshots, summed per process kind, plus this process (the load generator). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, selfCpuMicros: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [pid, p] of after) {
    const spent = p.cpuSeconds - (before.get(pid)?.cpuSeconds ?? 0);
    out[p.name] = Math.round(((out[p.name] ?? 0) + spent) * 100) / 100;
  }
  out['node: bench:scan (load generator)'] = Math.round(selfCpuMicros / 10_000) / 100;
  return out;
}
