// Turns the outbox rows of one parent into the batch Postgres receives.
import type { FlushBatch, LinkChange, ParentSnapshot, ScanRecord } from '../../worker/db/flush-types';
import type { SessionState } from './session-logic';
import type { OutboxRow } from './storage';

export function parentSnapshot(state: SessionState): ParentSnapshot {
  return {
    qr: state.qr,
    areaId: state.areaId,
    status: state.status,
    childCount: state.children.size,
    createdBy: state.createdById,
    createdAt: new Date(state.createdAt).toISOString(),
    completedAt: state.completedAt === null ? null : new Date(state.completedAt).toISOString(),
    version: state.version,
  };
}

export function buildFlushBatch(state: SessionState, rows: OutboxRow[]): FlushBatch {
  const changes: LinkChange[] = [];
  const scans: ScanRecord[] = [];
  for (const row of rows) {
    if (row.kind === 'change') changes.push(JSON.parse(row.body) as LinkChange);
    else if (row.kind === 'scan') scans.push(JSON.parse(row.body) as ScanRecord);
    // 'snapshot' rows only mark that the parent header changed; the current snapshot always travels.
  }
  return { parent: parentSnapshot(state), changes, scans };
}
