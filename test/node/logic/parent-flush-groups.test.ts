// How a parent's push splits its outbox over the flush queue shards (src/durable/parent/flush-groups.ts).
import { describe, expect, it } from 'vitest';
import { groupByShard, type PushRow } from '../../../src/durable/parent/flush-groups';
import { newSessionState } from '../../../src/durable/parent/parent-logic';
import type { SessionUser } from '../../../src/shared/types';

const user: SessionUser = { id: 1, username: 'dee', role: 'dispatcher', areaId: 1 };
const state = newSessionState('SB00001', 1, 30, user, 1000);
// Shards by the QR's last character, so the test says which rows share one.
const shardOf = (key: string) => Number(key.slice(-1)) % 4;
let seq = 0;
const row = (kind: PushRow['kind'], childQr: string): PushRow & { seq: number } => ({ seq: ++seq, kind, body: JSON.stringify({ childQr, n: seq }) });

describe('groupByShard', () => {
  it('one group per shard touched, each child in order, the snapshot riding with the first group', () => {
    const rows = [row('change', 'C1'), row('scan', 'C1'), row('scan', 'C2'), row('change', 'C5'), row('snapshot', ''), row('scan', 'C5')];
    const groups = groupByShard(state, rows, shardOf);
    // C1 and C5 share shard 1; C2 is shard 2. Not one call per child.
    expect([...groups.keys()]).toEqual([1, 2]);
    const one = groups.get(1)!;
    expect(one.map((r) => r.kind)).toEqual(['change', 'scan', 'change', 'scan', 'snapshot']);
    expect(one.slice(0, 4).map((r) => (JSON.parse(r.body) as { childQr: string }).childQr)).toEqual(['C1', 'C1', 'C5', 'C5']);
    expect(JSON.parse(one[4]!.body)).toMatchObject({ qr: 'SB00001', childCount: 0, version: state.version });
    expect(groups.get(2)!.map((r) => r.kind)).toEqual(['scan']);
    // Exactly one snapshot in the whole push.
    expect([...groups.values()].flat().filter((r) => r.kind === 'snapshot')).toHaveLength(1);
  });

  it('a push with no child row sends the snapshot to the parent QR shard', () => {
    const groups = groupByShard(state, [row('snapshot', '')], shardOf);
    expect([...groups.keys()]).toEqual([shardOf('SB00001')]);
    expect(groups.get(shardOf('SB00001'))!.map((r) => r.kind)).toEqual(['snapshot']);
  });
});
