// The restore drill's steps, callable from the CLI (scripts/dr-drill.ts) and from its test: snapshot the
// running deployment through its API, bring up (or take) a deployment whose Durable Objects have no state on
// the same Postgres, rebuild the QR registry from Postgres, and check through the API that lookups, parents
// with their children, bills and the one-parent-per-child rule are as before. Times each step.
import { rebuildRegistry } from '../registry-rebuild';
import { Api, differences, sampleKeys, snapshot, type Snapshot } from './snapshot';

export interface DrillOptions {
  /** The running deployment, with its object state. */
  sourceUrl: string;
  /** Brings up the deployment with empty object state; returns its URL and how to stop it. */
  restore: () => Promise<{ url: string; stop?: () => Promise<void> }>;
  username: string;
  password: string;
  sampleParents: number;
  sampleBills: number;
  log?: (line: string) => void;
}

export interface DrillReport {
  ok: boolean;
  counts: Snapshot['counts'];
  /** What the verification read on both sides: parents (and the children they hold), child lookups, bills. */
  sampled: { parents: number; children: number; bills: number };
  /** Children compared as members of the sampled parents (the lookups are one child per parent). */
  childrenInSampledParents: number;
  /** Reads answered 503 (Postgres too slow to answer an object in time) and asked again, before / after. */
  retries: { before: number; after: number };
  /** Rows acknowledged but not yet in Postgres when the objects' state went: lost if it really went. */
  atRisk: { backlog: number; oldestUnflushedSeconds: number };
  registryQrs: number;
  oneParentRule: string;
  differences: string[];
  ms: { snapshot: number; start: number; rebuild: number; verify: number; rto: number };
}

const elapsed = (since: number) => Math.round(performance.now() - since);

/** A free parent QR (no bag has it), counting down from SB99999: where the rule check opens its parent. */
async function freeParentQr(api: Api): Promise<string> {
  for (let n = 99999; n > 90000; n--) {
    const qr = `SB${String(n).padStart(5, '0')}`;
    if ((await api.call('GET', `/api/bags/${qr}`)).status === 404) return qr;
  }
  throw new Error('no free parent QR between SB90001 and SB99999');
}

/**
 * One-parent-per-child after the rebuild: a child of one parent scanned into another must be refused with
 * CHILD_IN_OTHER_PARENT and stay where it was. Prefers an open parent of the sample (adds one rejected scan);
 * otherwise opens a free parent QR (adds that empty parent too).
 */
async function checkOneParentRule(api: Api, before: Snapshot): Promise<string> {
  const from = before.parents.find((p) => p.children.length > 0);
  if (!from) return 'skipped: no sampled parent has children';
  const child = from.children[0]!;
  const open = before.parents.find((p) => p.qr !== from.qr && p.status === 'open' && p.billNo === null && p.childCount < 30);
  let target = open?.qr;
  if (!target) {
    target = await freeParentQr(api);
    const areas = await api.get('/api/areas');
    const opened = await api.call('POST', `/api/parents/${target}/open`, { areaId: areas.items[0].id });
    if (opened.status !== 200) throw new Error(`opening ${target} for the rule check answered ${opened.status}: ${JSON.stringify(opened.body)}`);
  }
  const scan = await api.call('POST', `/api/parents/${target}/children`, { qr: child, scanId: `dr-drill-${Date.now()}` });
  const text = JSON.stringify(scan.body);
  if (!text.includes('CHILD_IN_OTHER_PARENT')) throw new Error(`one parent per child: ${child} (in ${from.qr}) scanned into ${target} answered ${scan.status} ${text}`);
  const still = await api.get(`/api/parents/${from.qr}`);
  if (!(still.parent.children as Array<{ qr: string }>).some((c) => c.qr === child)) throw new Error(`${child} left ${from.qr} after the refused scan`);
  return `${child} (in ${from.qr}) refused by ${target} with CHILD_IN_OTHER_PARENT`;
}

export async function runDrill(o: DrillOptions): Promise<DrillReport> {
  const log = o.log ?? console.log;
  let t = performance.now();
  const source = await Api.signIn(o.sourceUrl, o.username, o.password);
  const health = await source.get('/health/detailed');
  const atRisk = { backlog: Number(health.flushBacklog ?? 0), oldestUnflushedSeconds: Number(health.oldestUnflushedSeconds ?? 0) };
  const keys = await sampleKeys(source, o.sampleParents, o.sampleBills);
  const before = await snapshot(source, keys);
  const snapshotMs = elapsed(t);
  log(`Before: ${before.counts.parents} parents, ${before.counts.children} children in Postgres; sampled ${before.parents.length} parents, ${Object.keys(before.childLookups).length} child lookups, ${before.bills.length} bills (${snapshotMs} ms)`);
  log(`Not yet in Postgres at this moment (the RPO if object storage were lost now): ${atRisk.backlog} rows, oldest ${Math.round(atRisk.oldestUnflushedSeconds)} s`);

  // From here the clock is the RTO: the objects' state is gone (a fresh storage) until the checks pass.
  const rtoStart = performance.now();
  t = rtoStart;
  const restored = await o.restore();
  const startMs = elapsed(t);
  log(`Deployment with empty object state up at ${restored.url} (${startMs} ms)`);
  try {
    t = performance.now();
    const registryQrs = await rebuildRegistry(restored.url, o.username, o.password, (line) => log(line));
    const rebuildMs = elapsed(t);
    log(`Registry rebuilt from Postgres: ${registryQrs} QRs (${rebuildMs} ms)`);
    t = performance.now();
    const target = await Api.signIn(restored.url, o.username, o.password);
    const after = await snapshot(target, keys);
    const diffs = differences(before, after);
    const oneParentRule = await checkOneParentRule(target, before);
    const verifyMs = elapsed(t);
    const rto = elapsed(rtoStart);
    log(`Verified ${after.parents.length} parents, ${Object.keys(after.childLookups).length} lookups, ${after.bills.length} bills: ${diffs.length === 0 ? 'as before' : `${diffs.length} differences`} (${verifyMs} ms)`);
    log(`One parent per child: ${oneParentRule}`);
    return {
      ok: diffs.length === 0,
      counts: before.counts,
      sampled: { parents: before.parents.length, children: Object.keys(before.childLookups).length, bills: before.bills.length },
      childrenInSampledParents: before.parents.reduce((n, p) => n + p.children.length, 0),
      retries: { before: source.retries, after: target.retries },
      atRisk,
      registryQrs,
      oneParentRule,
      differences: diffs,
      ms: { snapshot: snapshotMs, start: startMs, rebuild: rebuildMs, verify: verifyMs, rto },
    };
  } finally {
    await restored.stop?.();
  }
}
