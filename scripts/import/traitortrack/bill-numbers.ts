// TraitorTrack's bill numbers → TraceTrack's (trimmed, upper-cased, BILL_NO_PATTERN, unique): pure rules.
import { BILL_NO_PATTERN, normalizeBillNo } from '../../../src/shared/bill';
import type { Anomaly } from './rules';

export interface SourceBill {
  id: number;
  billNo: string | null;
  createdAt: string | null;
}

export interface BillNumberPlan {
  /** Bills to create: source id → TraceTrack bill number. */
  create: Map<number, string>;
  /** Bills imported by an earlier run: source id → their bill number. */
  existing: Map<number, string>;
  anomalies: Anomaly[];
}

function sanitize(raw: string, id: number): string {
  let no = normalizeBillNo(raw).replace(/[^A-Z0-9._-]/g, '-').replace(/^[^A-Z0-9]+/, '').slice(0, 40);
  if (no === '') no = `BILL-${id}`;
  return no;
}

const withSuffix = (base: string, suffix: string) => base.slice(0, 40 - suffix.length) + suffix;

export function planBillNumbers(source: SourceBill[], tracetrackBillNos: string[], imported: Map<number, string>): BillNumberPlan {
  const taken = new Set(tracetrackBillNos);
  for (const no of imported.values()) taken.delete(no);
  const plan: BillNumberPlan = { create: new Map(), existing: new Map(), anomalies: [] };
  const claimed = new Set<string>([...imported.values()]);
  const ordered = [...source].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id - b.id);
  for (const b of ordered) {
    const known = imported.get(b.id);
    if (known !== undefined) {
      plan.existing.set(b.id, known);
      continue;
    }
    const note = (kind: Anomaly['kind'], subject: string, detail: Record<string, unknown>) =>
      plan.anomalies.push({ kind, table: 'bill', sourceId: String(b.id), subject, detail });
    const raw = b.billNo ?? '';
    let no = normalizeBillNo(raw);
    if (!BILL_NO_PATTERN.test(no)) no = sanitize(raw, b.id);
    if (no !== raw) note('bill_no_changed', no, { from: raw, to: no });
    if (claimed.has(no)) {
      const renamed = withSuffix(no, `-${b.id}`);
      note('bill_no_duplicate', renamed, { from: raw, to: renamed });
      no = renamed;
    } else if (taken.has(no)) {
      let renamed = withSuffix(no, '-TT');
      if (taken.has(renamed) || claimed.has(renamed)) renamed = withSuffix(no, `-TT${b.id}`);
      note('bill_no_taken', renamed, { from: raw, to: renamed });
      no = renamed;
    }
    claimed.add(no);
    plan.create.set(b.id, no);
  }
  return plan;
}
