import type { ParentSnapshot } from '../../db/flush-types';
import type { ParentState } from './parent-logic';

/** The parent bag as Postgres stores it; `version` lets a newer snapshot replace an older one only. */
export function parentSnapshot(state: ParentState): ParentSnapshot {
  return {
    qr: state.qr,
    areaId: state.areaId,
    status: state.status,
    childCount: state.children.size,
    createdBy: state.createdById,
    createdAt: new Date(state.createdAt).toISOString(),
    completedAt: state.completedAt === null ? null : new Date(state.completedAt).toISOString(),
    completedBy: state.completedById ?? null,
    version: state.version,
  };
}
