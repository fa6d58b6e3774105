// Spreadsheet import (issue 13 point 3): batches of rows parsed in the browser, applied through the same
// Durable Objects as scanning, so every rule of a scan holds for a row (one parent per child, capacity,
// completed and frozen parents, one bill per parent, bill capacity and finalization, QR roles, areas).
//   child→parent rows: the parent's object opens the parent (creating it in the chosen area when new) and
//                      scans the child in, with the row's deterministic scanId;
//   parent→bill rows:  the bill's object adds the parent, with the row's deterministic scanId.
// A dry run asks the same objects what they would answer (previewScans / previewAdds) and writes nothing.
// scanIds come from the file's SHA-256 and the row number, so a batch sent again (a dropped connection, a
// reload and the same file chosen again) gets the first answers back and changes nothing twice.
// Billers and admins only; each applied batch leaves one audit row (`import.rows`).
import { Hono, type Context } from 'hono';
import { eq } from 'drizzle-orm';
import { AppError } from '../../shared/errors';
import {
  IMPORT_BODY_BYTES,
  importRowsBodySchema,
  importScanId,
  type BillRow,
  type ImportRowsBody,
  type LinkRow,
  type RowResult,
} from '../../shared/imports';
import { sentRowProblem } from '../../shared/import-rows';
import type { SessionUser } from '../../shared/types';
import { billFor, parentFor } from '../../durable/stubs';
import type { BillActor } from '../../durable/bill/bill-session';
import type { PreviewAnswer } from '../../durable/parent/parent-session';
import type { RpcResult } from '../../durable/rpc';
import { auditMeta, writeAudit } from '../audit/record';
import { requireRole } from '../auth/middleware';
import { areas } from '../../db/schema';
import { withDb } from '../../db/with-db.workerd';
import { limitBodyTo } from '../http/body-limit';
import { validate } from '../http/validate';
import { settings } from '../../config/settings';
import type { AppEnv, AuthUser } from '../types';
import type { ImportResponse } from '../../shared/api';

/** Parents (or bills) of one batch worked on at once; rows of one target go in turn. */
const PARALLEL_TARGETS = 8;

function sessionUser(u: AuthUser): SessionUser {
  return { id: u.id, username: u.username, role: u.role, areaId: u.areaId };
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return groups;
}

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/** A refused row; `parentQr` (where a child already is) goes along for the UI's words in the user's language. */
function conflict(row: number, error: { code: string; message: string; parentQr?: unknown }): RowResult {
  const params = typeof error.parentQr === 'string' ? { params: { parent: error.parentQr } } : {};
  return { row, outcome: 'conflict', code: error.code, message: error.message, ...params };
}

function fromPreview(row: number, answer: PreviewAnswer | undefined): RowResult {
  if (!answer) return { row, outcome: 'conflict', code: 'INTERNAL', message: 'No answer for this row.' };
  return answer.outcome === 'conflict' ? conflict(row, { code: answer.code ?? 'CONFLICT', message: answer.message ?? 'Refused.', parentQr: answer.parentQr }) : { row, outcome: answer.outcome };
}

/** An object that threw (overloaded, reset) is a passing state: the row says so and the client sends the batch again. */
function unavailable(row: number, err: unknown): RowResult {
  console.error('import row failed', row, err);
  return conflict(row, { code: 'UNAVAILABLE', message: 'The server could not answer for this row; it will be sent again.' });
}

async function linkRows(env: Env, user: SessionUser, body: Extract<ImportRowsBody, { kind: 'links' }>): Promise<RowResult[]> {
  const results: RowResult[] = [];
  const groups = [...groupBy(body.rows, (r) => r.parentQr)];
  await eachLimited(groups, PARALLEL_TARGETS, async ([parentQr, rows]: [string, LinkRow[]]) => {
    const stub = parentFor(env, parentQr);
    try {
      if (body.dryRun) {
        const answers = (await stub.previewScans(user, parentQr, rows.map((r) => r.childQr), body.areaId)) as RpcResult<PreviewAnswer[]>;
        rows.forEach((r, i) => results.push(answers.ok ? fromPreview(r.row, answers.value[i]) : conflict(r.row, answers.error)));
        return;
      }
      const opened = (await stub.open(user, parentQr, body.areaId)) as RpcResult<unknown>;
      if (!opened.ok) {
        for (const r of rows) results.push(conflict(r.row, opened.error));
        return;
      }
      for (const r of rows) {
        try {
          const answer = (await stub.scan(user, r.childQr, importScanId(body.importId, r.row))) as RpcResult<{ result: string }>;
          results.push(answer.ok ? { row: r.row, outcome: answer.value.result === 'linked' ? 'linked' : 'already' } : conflict(r.row, answer.error));
        } catch (err) {
          results.push(unavailable(r.row, err));
        }
      }
    } catch (err) {
      for (const r of rows) if (!results.some((x) => x.row === r.row)) results.push(unavailable(r.row, err));
    }
  });
  return results;
}

async function billRows(env: Env, actor: BillActor, body: Extract<ImportRowsBody, { kind: 'bills' }>): Promise<RowResult[]> {
  const results: RowResult[] = [];
  const groups = [...groupBy(body.rows, (r) => r.billNo)];
  await eachLimited(groups, PARALLEL_TARGETS, async ([billNo, rows]: [string, BillRow[]]) => {
    const stub = billFor(env, billNo);
    try {
      if (body.dryRun) {
        const answers = (await stub.previewAdds(billNo, rows.map((r) => r.parentQr))) as RpcResult<PreviewAnswer[]>;
        rows.forEach((r, i) => results.push(answers.ok ? fromPreview(r.row, answers.value[i]) : conflict(r.row, answers.error)));
        return;
      }
      for (const r of rows) {
        try {
          const answer = (await stub.addParent(billNo, r.parentQr, actor, importScanId(body.importId, r.row))) as RpcResult<{ result: string }>;
          results.push(answer.ok ? { row: r.row, outcome: answer.value.result === 'added' ? 'added' : 'already' } : conflict(r.row, answer.error));
        } catch (err) {
          results.push(unavailable(r.row, err));
        }
      }
    } catch (err) {
      for (const r of rows) if (!results.some((x) => x.row === r.row)) results.push(unavailable(r.row, err));
    }
  });
  return results;
}

async function checkArea(c: Context<AppEnv>, areaId: number | undefined): Promise<void> {
  if (areaId === undefined) return;
  const found = await withDb(settings(c.env), (db) => db.select({ id: areas.id }).from(areas).where(eq(areas.id, areaId)).limit(1));
  if (found.length === 0) throw new AppError('INVALID_INPUT', `Invalid body: areaId ${areaId} is not a dispatch area.`);
}

export const importRoutes = new Hono<AppEnv>().post(
  '/rows',
  ...limitBodyTo(IMPORT_BODY_BYTES),
  requireRole('biller', 'admin'),
  validate('json', importRowsBodySchema),
  async (c) => {
    const body = c.req.valid('json');
    const user = sessionUser(c.get('user'));
    const audit = auditMeta(c);
    // Malformed rows (a child label as parent, an unreadable QR or bill number) are answered here, each with
    // its own problem, as the browser's checks would: only well-formed rows reach the objects.
    const invalid: RowResult[] = [];
    const wellFormed = body.rows.filter((r) => {
      const problem = sentRowProblem(r);
      if (problem) invalid.push({ row: r.row, outcome: 'invalid', code: problem.code, message: problem.message });
      return !problem;
    });
    let results: RowResult[] = invalid;
    if (body.kind === 'links') {
      await checkArea(c, body.areaId);
      const rows = wellFormed as typeof body.rows;
      if (rows.length) results = results.concat(await linkRows(c.env, user, { ...body, rows }));
    } else {
      const rows = wellFormed as typeof body.rows;
      if (rows.length) results = results.concat(await billRows(c.env, { user, audit }, { ...body, rows }));
    }
    results.sort((a, b) => a.row - b.row);
    if (!body.dryRun) {
      const counts: Record<string, number> = {};
      for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
      const rowsList = body.rows.map((r) => r.row);
      // One row per batch of a file: a batch sent again (resume) finds its row there already.
      await withDb(settings(c.env), (db) =>
        writeAudit(db, audit, {
          action: 'import.rows',
          entityType: 'import',
          entityId: body.importId,
          after: { kind: body.kind, fileName: body.fileName ?? null, firstRow: Math.min(...rowsList), lastRow: Math.max(...rowsList), rows: rowsList.length, counts },
          eventId: `import-${body.importId.slice(0, 40)}-${Math.min(...rowsList)}-${rowsList.length}`,
        }),
      ).catch((err: unknown) => {
        console.error('import audit failed', err);
        throw new AppError('UNAVAILABLE', 'The rows were applied but the audit log could not be written; send the batch again (nothing is applied twice).');
      });
    }
    return c.json({ results } satisfies ImportResponse);
  },
);
