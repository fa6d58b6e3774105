// TraitorTrack's return ticket codes → TraceTrack's (RTN-YYYYMMDD-XXXX, unique): pure rules, like
// bill-numbers.ts. A code that does not fit the format, repeats an older ticket's, or is one TraceTrack
// already uses gets a new one made from the ticket's date and its TraitorTrack id (the same on every run).
import { createHash } from 'node:crypto';
import { normalizeReturnCode, RETURN_CODE_PATTERN } from '../../../src/shared/returns';
import type { Anomaly } from './rules';

export interface SourceReturnTicket {
  id: number;
  code: string | null;
  /** ISO text (UTC) or null. */
  createdAt: string | null;
}

export interface ReturnCodePlan {
  /** Tickets to create: source id → TraceTrack code. */
  create: Map<number, string>;
  /** Tickets imported by an earlier run: source id → their code. */
  existing: Map<number, string>;
  anomalies: Anomaly[];
}

/** The ticket's local date as YYYYMMDD in the deployment's zone (00000000 when TraitorTrack has no time). */
function localDate(createdAt: string | null, timeZone: string): string {
  const ms = createdAt === null ? Number.NaN : Date.parse(createdAt);
  if (!Number.isFinite(ms)) return '00000000';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}${get('month')}${get('day')}`;
}

/** A code no one holds: the suffix is a hash of the TraitorTrack id (and an attempt number on a clash). */
function madeCode(ticket: SourceReturnTicket, timeZone: string, used: Set<string>): string {
  const date = localDate(ticket.createdAt, timeZone);
  for (let attempt = 0; ; attempt++) {
    const suffix = createHash('sha256').update(`traitortrack-return-${ticket.id}-${attempt}`).digest('hex').slice(0, 4).toUpperCase();
    const code = `RTN-${date}-${suffix}`;
    if (!used.has(code)) return code;
  }
}

export function planReturnCodes(source: SourceReturnTicket[], tracetrackCodes: string[], imported: Map<number, string>, timeZone: string): ReturnCodePlan {
  const plan: ReturnCodePlan = { create: new Map(), existing: new Map(), anomalies: [] };
  const importedCodes = new Set(imported.values());
  /** TraceTrack's own tickets (not from this import). */
  const own = new Set(tracetrackCodes.filter((c) => !importedCodes.has(c)));
  const used = new Set<string>([...tracetrackCodes, ...importedCodes]);
  const claimed = new Set<string>(importedCodes);
  const ordered = [...source].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id - b.id);
  for (const t of ordered) {
    const known = imported.get(t.id);
    if (known !== undefined) {
      plan.existing.set(t.id, known);
      continue;
    }
    const note = (kind: Anomaly['kind'], subject: string, detail: Record<string, unknown>) =>
      plan.anomalies.push({ kind, table: 'return_ticket', sourceId: String(t.id), subject, detail });
    const raw = t.code ?? '';
    let code = normalizeReturnCode(raw);
    if (!RETURN_CODE_PATTERN.test(code)) {
      code = madeCode(t, timeZone, used);
      note('return_code_changed', code, { from: raw, to: code });
    } else if (claimed.has(code)) {
      const renamed = madeCode(t, timeZone, used);
      note('return_code_duplicate', renamed, { from: raw, to: renamed, keptBy: code });
      code = renamed;
    } else if (own.has(code)) {
      const renamed = madeCode(t, timeZone, used);
      note('return_code_taken', renamed, { from: raw, to: renamed });
      code = renamed;
    } else if (code !== raw) {
      note('return_code_changed', code, { from: raw, to: code });
    }
    used.add(code);
    claimed.add(code);
    plan.create.set(t.id, code);
  }
  return plan;
}
