// How a parent's push splits its outbox over the flush queue shards. Pure (the shard function is handed in),
// so it is tested in plain vitest.
import { parentSnapshot } from './snapshot';
import type { ParentState } from './parent-logic';

/** An outbox row as the push reads it, and as a flush queue stores it. */
export interface PushRow {
  kind: 'change' | 'scan' | 'snapshot';
  body: string;
}

/**
 * Splits outbox rows by flush queue shard: link changes and scans by their child QR's shard (one child's
 * events stay in one queue, in order), so a push makes one call per shard it touches, not one per child.
 * The parent's snapshot rides with the first of those groups (its own shard only when no child row is
 * pushed): snapshots carry a version and Postgres keeps the newest whichever queue brings it, so the
 * snapshot costs no extra call and no extra queue alarm per scan (issue 15 points 2 and 4).
 */
export function groupByShard(state: ParentState, rows: readonly PushRow[], shardOf: (key: string) => number): Map<number, PushRow[]> {
  const groups = new Map<number, PushRow[]>();
  for (const row of rows) {
    if (row.kind === 'snapshot') continue;
    const { childQr } = JSON.parse(row.body) as { childQr: string };
    const shard = shardOf(childQr);
    const group = groups.get(shard);
    if (group) group.push({ kind: row.kind, body: row.body });
    else groups.set(shard, [{ kind: row.kind, body: row.body }]);
  }
  const snapshot: PushRow = { kind: 'snapshot', body: JSON.stringify(parentSnapshot(state)) };
  const first = groups.values().next();
  if (first.done) groups.set(shardOf(state.qr), [snapshot]);
  else first.value.push(snapshot);
  return groups;
}
