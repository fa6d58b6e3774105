// The restore drill (issue 14 point 5) on a real product: its own embedded PGlite and Worker (the suite's shared
// stack keeps its objects), a few parents with children, a bill, all flushed; then `runDrill` (what
// `npm run dr:drill` runs) starts a second Worker with EMPTY Durable Object storage on the same Postgres,
// rebuilds the registry and must find parents, children, lookups, the bill and the one-parent rule as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshWorker } from '../../scripts/dr-drill';
import { runDrill } from '../../scripts/dr/drill';
import { Api } from '../../scripts/dr/snapshot';
import { startOwnStack, type OwnStack } from './own-stack';

const PASSWORD = 'tracetrack-dev';
let stack: OwnStack | null = null;

beforeAll(async () => {
  stack = await startOwnStack('drill-e2e');
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('npm run dr:drill', () => {
  it('rebuilds the objects from Postgres and finds parents, children, bills and the one-parent rule as before', async () => {
    const url = stack!.url;
    const dispatcher = await Api.signIn(url, 'dispatcher', PASSWORD);
    const biller = await Api.signIn(url, 'biller', PASSWORD);
    const admin = await Api.signIn(url, 'admin', PASSWORD);
    const stamp = Date.now().toString(36).toUpperCase();
    const parents = ['SB00101', 'SB00102', 'SB00103'];
    for (const [i, qr] of parents.entries()) {
      expect((await dispatcher.call('POST', `/api/parents/${qr}/open`)).status).toBe(200);
      for (let c = 0; c < i + 2; c++) expect((await dispatcher.call('POST', `/api/parents/${qr}/children`, { qr: `DR${stamp}${i}${c}` })).status).toBe(200);
    }
    // One parent completed, one on a bill, one left open (the rule check scans into it).
    expect((await admin.call('POST', `/api/parents/${parents[0]}/complete`)).status).toBe(200);
    const billNo = `DR-${stamp}`;
    expect((await biller.call('POST', '/api/bills', { billNo, destination: 'Kanpur', vehicleNo: 'UP32 1', capacity: 5 })).status).toBe(201);
    expect((await biller.call('POST', `/api/bills/${billNo}/parents`, { qr: parents[1] })).body.result).toBe('added');
    // Everything acknowledged has reached Postgres (the record) before the objects' state goes.
    for (let i = 0; i < 120; i++) {
      const h = await admin.get('/health/detailed');
      if (h.flushBacklog === 0 && h.oldestUnflushedSeconds === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }

    const lines: string[] = [];
    const report = await runDrill({
      sourceUrl: url,
      restore: freshWorker(stack!.databaseUrl),
      username: 'admin',
      password: PASSWORD,
      sampleParents: 50,
      sampleBills: 10,
      log: (l) => lines.push(l),
    });
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts).toMatchObject({ parents: 3, children: 9 });
    expect(report.sampled).toEqual({ parents: 3, children: 3, bills: 1 });
    expect(report.registryQrs).toBe(12);
    expect(report.atRisk.backlog).toBe(0);
    expect(report.oneParentRule).toMatch(/refused by SB\d{5} with CHILD_IN_OTHER_PARENT/);
    expect(report.ms.rto).toBeGreaterThanOrEqual(report.ms.start + report.ms.rebuild);
    expect(lines.join('\n')).toContain('Registry rebuilt from Postgres: 12 QRs');
  }, 300_000);
});
