// What a bill's figures mean, as the bill screen and the print sheet say them: why it has its status (by the
// bill's rule), which dispatch areas its parents come from, and the weight variance once it was weighed.
// Pure, so the rules are unit-tested.
import type { Bill, BillParent } from '../../api/types';

/** What these helpers read of a bill's parents (a parent's state is an extension the server may not know). */
type ParentFacts = Pick<BillParent, 'qr' | 'childCount' | 'status' | 'areaId'>;

/** Actual vs expected weight, with the variance as people read it ("+12.5 kg (+3.1 %)"). */
export function weightVariance(actual: number | null | undefined, expected: number | null | undefined): {
  kg: number | null;
  percent: number | null;
  level: 'none' | 'ok' | 'warn' | 'bad';
} {
  if (actual == null || expected == null) return { kg: null, percent: null, level: 'none' };
  const kg = actual - expected;
  const percent = expected === 0 ? null : (kg / expected) * 100;
  const abs = Math.abs(percent ?? (kg === 0 ? 0 : 100));
  return { kg, percent, level: abs <= 2 ? 'ok' : abs <= 5 ? 'warn' : 'bad' };
}

export interface BillCompletion {
  /** Why the bill is completed (its rule: parents ≥ capacity, or finalized), null while it is not. */
  reason: 'finalized' | 'capacity' | null;
  /** Parents on the bill that are not complete themselves (short of child bags). */
  incompleteParents: string[];
}

/** Why a bill shows the status it shows, by the bill's rule, so the screen can say it in words. */
export function billCompletion(bill: Pick<Bill, 'status' | 'finalized' | 'parentCount' | 'capacity'> & { parents: ParentFacts[] }): BillCompletion {
  const reason = bill.finalized ? 'finalized' : bill.parentCount >= bill.capacity ? 'capacity' : null;
  const incompleteParents = (bill.parents ?? []).filter((p) => p.status !== undefined && p.status !== 'completed').map((p) => p.qr);
  return { reason, incompleteParents };
}

/** The dispatch areas the bill's parents come from (usually one), in the order first seen. */
export function billAreas(bill: { parents: ParentFacts[] }): number[] {
  const out: number[] = [];
  for (const p of bill.parents ?? []) if (p.areaId != null && !out.includes(p.areaId)) out.push(p.areaId);
  return out;
}
