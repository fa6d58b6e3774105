// What an import did, for people: a summary on the console (counts per table, anomalies per kind with the
// rule applied and a few examples) and, with --report FILE, every anomaly row by row (CSV, or JSON when
// FILE ends in .json). The report of a real run is read back from import_anomalies after the commit.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { Sql, TransactionSql } from 'postgres';
import { ANOMALY_RULES, type AnomalyKind } from './rules';

export interface TableCount {
  /** Rows in TraitorTrack (links: link rows plus children linked only by bag.parent_id). */
  source: number;
  /** Rows TraceTrack holds for them after the import. */
  kept: number;
  /** Of those, added by this run. */
  added: number;
  /** Of those, already there (an earlier run, or TraceTrack's own). */
  alreadyThere: number;
  /** Merged or not imported: each one is an anomaly row. */
  notImported: number;
}

export interface ImportSummary {
  runId: string;
  dryRun: boolean;
  source: string;
  startedAt: string;
  seconds: number;
  counts: Record<string, TableCount>;
  anomalies: Partial<Record<AnomalyKind, number>>;
  /** Raw rows kept in import_staging per source table (return tickets, notifications; user e-mails, bag names and weights). */
  staged: Record<string, number>;
  /** Tables that were not imported, and why. */
  skipped: Array<{ table: string; rows: number | null; reason: string }>;
  examples: Partial<Record<AnomalyKind, Array<{ sourceId: string | null; subject: string | null; detail: unknown }>>>;
}

export interface AnomalyRow {
  kind: AnomalyKind;
  source_table: string;
  source_id: string | null;
  subject: string | null;
  detail: unknown;
}

const CSV_COLUMNS = ['kind', 'table', 'source_id', 'subject', 'detail', 'rule'];

/** Streams every anomaly of `query` (kind, source_table, source_id, subject, detail) into the report file. */
export async function writeReport(db: Sql | TransactionSql, file: string, summary: ImportSummary, query: string, params: unknown[]): Promise<void> {
  const json = file.endsWith('.json');
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (json) {
    const { examples: _examples, ...head } = summary;
    await write(`${JSON.stringify(head, null, 2).slice(0, -2)},\n  "rows": [`);
  } else {
    await write(stringify([CSV_COLUMNS]));
  }
  let first = true;
  const cursor = db.unsafe(query, params as never).cursor(5_000) as AsyncIterable<AnomalyRow[]>;
  for await (const rows of cursor) {
    if (json) {
      const text = rows
        .map((r) => JSON.stringify({ kind: r.kind, table: r.source_table, sourceId: r.source_id, subject: r.subject, detail: r.detail }))
        .join(',\n    ');
      await write(`${first ? '\n    ' : ',\n    '}${text}`);
    } else {
      await write(
        stringify(rows.map((r) => [r.kind, r.source_table, r.source_id ?? '', r.subject ?? '', JSON.stringify(r.detail), ANOMALY_RULES[r.kind] ?? ''])),
      );
    }
    first = false;
  }
  if (json) await write('\n  ]\n}\n');
  out.end();
  await once(out, 'finish');
}

export function formatSummary(s: ImportSummary): string[] {
  const lines: string[] = [];
  lines.push(s.dryRun ? `Dry run of the TraitorTrack import from ${s.source}: nothing was written.` : `Imported from ${s.source} (run ${s.runId}).`);
  lines.push('');
  const header = ['table', 'in TraitorTrack', 'kept', s.dryRun ? 'would add' : 'added', 'already there', 'merged / not imported'];
  const rows = Object.entries(s.counts).map(([t, c]) => [t, c.source, c.kept, c.added, c.alreadyThere, c.notImported].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(fmt(header), ...rows.map(fmt));
  const staged = Object.entries(s.staged);
  if (staged.length > 0) {
    lines.push('', 'Also kept raw in import_staging (columns TraceTrack has no place for; return tickets as TraitorTrack had them):');
    for (const [table, n] of staged) lines.push(`  ${table}: ${n} rows`);
  }
  if (s.skipped.length > 0) {
    lines.push('', 'Not imported:');
    for (const k of s.skipped) lines.push(`  ${k.table}${k.rows === null ? '' : ` (${k.rows} rows)`}: ${k.reason}`);
  }
  const kinds = Object.entries(s.anomalies) as Array<[AnomalyKind, number]>;
  lines.push('', kinds.length === 0 ? 'No anomalies.' : `Anomalies (${kinds.reduce((t, [, n]) => t + n, 0)} rows), one rule each:`);
  for (const [kind, n] of kinds) {
    lines.push(`  ${kind}: ${n} — ${ANOMALY_RULES[kind]}`);
    for (const e of s.examples[kind] ?? []) lines.push(`      e.g. #${e.sourceId ?? '-'} ${e.subject ?? ''} ${JSON.stringify(e.detail)}`);
  }
  lines.push('', `${s.seconds} s.`);
  return lines;
}
