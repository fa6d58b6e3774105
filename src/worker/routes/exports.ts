// Streamed CSV exports with the lists' filters. Who may export:
//  bags, scans: supervisor (own area, forced), biller, admin; a bill, returns: biller, admin; audit: admin.
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { scopedAreaId } from '../area-scope';
import { requireRole } from '../auth/middleware';
import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Row } from '../../db/client';
import { clientKeyOf } from '../../db/event-ids';
import type { KeysetList, KeyValue } from '../../db/list';
import { openDb, withDb } from '../../db/with-db.workerd';
import { csvResponse, type CsvColumn } from '../http/csv';
import { validate } from '../http/validate';
import { auditListSpec, type AuditRow } from '../read/audit';
import { bagListSpec, type BagRow } from '../read/bags';
import { billLinesSpec, findBillId, type BillLineRow } from '../read/bill-export';
import { localDate, localTimestampFormatter } from '../read/local-time';
import { returnLinesSpec, type ReturnLineRow } from '../read/return-export';
import { scanListSpec, type ScanRow } from '../read/scans';
import { idParam, timeParam } from '../read/params';
import { normalizeReturnCode, RETURN_STATUSES } from '../../shared/returns';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import { auditFiltersSchema, bagFiltersSchema, scanFiltersSchema } from './read-queries';
import { scanFilters } from './scans';

/**
 * What every export writes the same way: times as local wall-clock time with the offset, under a header
 * that names the deployment's zone, and area names beside their ids (people read these in spreadsheets).
 */
interface ExportContext {
  time: (value: string | null | undefined) => string;
  /** A timestamp column's header: "at (Asia/Kolkata)". */
  timeHeader: (name: string) => string;
  area: (id: number | null | undefined) => string;
}

async function exportContext(db: Db, timeZone: string): Promise<ExportContext> {
  const areas = await queryRows<{ id: number; name: string }>(db, sql`SELECT id, name FROM areas`);
  const names = new Map(areas.map((a) => [Number(a.id), a.name]));
  return {
    time: localTimestampFormatter(timeZone),
    timeHeader: (name) => `${name} (${timeZone})`,
    area: (id) => (id === null || id === undefined ? '' : (names.get(Number(id)) ?? '')),
  };
}

const bagColumns = (x: ExportContext): CsvColumn<BagRow>[] => [
  { header: 'qr', value: (r) => r.qr },
  { header: 'type', value: (r) => r.type },
  { header: 'area_id', value: (r) => r.area_id },
  { header: 'area', value: (r) => x.area(r.area_id) },
  { header: 'status', value: (r) => r.status },
  { header: 'child_count', value: (r) => Number(r.child_count) },
  { header: x.timeHeader('created_at'), value: (r) => x.time(r.created_at) },
  { header: 'created_by', value: (r) => r.created_by_name },
];

const scanColumns = (x: ExportContext): CsvColumn<ScanRow>[] => [
  { header: x.timeHeader('at'), value: (r) => x.time(r.created_at) },
  { header: 'scan_id', value: (r) => clientKeyOf(r.scan_id) },
  { header: 'parent_qr', value: (r) => r.parent_qr },
  { header: 'child_qr', value: (r) => r.child_qr },
  { header: 'result', value: (r) => r.result },
  { header: 'error_code', value: (r) => r.error_code },
  { header: 'user', value: (r) => r.username },
  { header: 'area_id', value: (r) => r.area_id },
  { header: 'area', value: (r) => x.area(r.area_id) },
];

const billColumns = (x: ExportContext): CsvColumn<BillLineRow>[] => [
  { header: 'bill_no', value: (r) => r.bill_no },
  { header: 'destination', value: (r) => r.destination },
  { header: 'vehicle_no', value: (r) => r.vehicle_no },
  { header: 'parent_qr', value: (r) => r.parent_qr },
  { header: 'parent_area_id', value: (r) => r.parent_area_id },
  { header: 'parent_area', value: (r) => x.area(r.parent_area_id) },
  { header: 'parent_child_count', value: (r) => Number(r.parent_child_count) },
  { header: x.timeHeader('added_to_bill_at'), value: (r) => x.time(r.added_at) },
  { header: 'child_qr', value: (r) => r.child_qr },
  { header: x.timeHeader('linked_at'), value: (r) => x.time(r.linked_at) },
  // Added for returns (issue 13); columns are only ever appended, so existing sheets keep working.
  { header: 'line', value: (r) => r.line },
  { header: x.timeHeader('returned_at'), value: (r) => x.time(r.returned_at) },
  { header: 'return_ticket', value: (r) => r.return_ticket },
  { header: 'returned_by', value: (r) => r.returned_by },
];

const returnColumns = (x: ExportContext): CsvColumn<ReturnLineRow>[] => [
  { header: 'ticket', value: (r) => r.code },
  { header: 'ticket_status', value: (r) => r.status },
  { header: 'receiving_area_id', value: (r) => r.area_id },
  { header: 'receiving_area', value: (r) => x.area(r.area_id) },
  { header: 'notes', value: (r) => r.notes },
  { header: 'parent_qr', value: (r) => r.parent_qr },
  { header: 'bill_no', value: (r) => r.bill_no },
  { header: 'bill_was_finalized', value: (r) => (r.bill_finalized ? 'yes' : 'no') },
  { header: 'child_count', value: (r) => Number(r.child_count) },
  { header: 'weight_kg', value: (r) => Number(r.child_count) },
  { header: x.timeHeader('returned_at'), value: (r) => x.time(r.returned_at) },
  { header: 'returned_by', value: (r) => r.returned_by },
];

export const returnExportQuery = z.strictObject({
  from: timeParam.optional(),
  to: timeParam.optional(),
  status: z.enum(RETURN_STATUSES, { error: 'status must be open, finalized or cancelled' }).optional(),
  areaId: idParam('areaId').optional(),
  code: z.string().max(64, 'code is at most 64 characters').transform(normalizeReturnCode).optional(),
});

const auditColumns = (x: ExportContext): CsvColumn<AuditRow>[] => [
  { header: x.timeHeader('at'), value: (r) => x.time(r.at) },
  { header: 'actor_id', value: (r) => r.actor_id },
  { header: 'actor', value: (r) => r.actor_username },
  { header: 'action', value: (r) => r.action },
  { header: 'entity_type', value: (r) => r.entity_type },
  { header: 'entity_id', value: (r) => r.entity_id },
  { header: 'before', value: (r) => r.before },
  { header: 'after', value: (r) => r.after },
  { header: 'ip', value: (r) => r.ip },
  { header: 'user_agent', value: (r) => r.user_agent },
  { header: 'request_id', value: (r) => r.request_id },
];

/** Opens the export's connection, reads the areas on it, and streams `spec` with the columns made for them. */
async function exportCsv<R extends Row, K extends readonly KeyValue[]>(
  env: Env,
  spec: KeysetList<R, K>,
  columns: (x: ExportContext) => CsvColumn<R>[],
  filename: string,
): Promise<Response> {
  const s = settings(env);
  const opened = await openDb(s);
  let x: ExportContext;
  try {
    x = await exportContext(opened.db, s.TIME_ZONE);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return csvResponse({ ...opened, spec, columns: columns(x), filename });
}

const stamp = (env: Env) => localDate(new Date(), settings(env).TIME_ZONE);

export const exportRoutes = new Hono<AppEnv>()
  .get('/bags.csv', requireRole('supervisor', 'biller', 'admin'), validate('query', bagFiltersSchema.strict()), async (c) => {
    const q = c.req.valid('query');
    const spec = bagListSpec({ ...q, areaId: scopedAreaId(c.get('user'), q.areaId) }, settings(c.env).TIME_ZONE);
    return exportCsv(c.env, spec, bagColumns, `bags-${stamp(c.env)}.csv`);
  })
  .get('/scans.csv', requireRole('supervisor', 'biller', 'admin'), validate('query', scanFiltersSchema.strict()), async (c) => {
    const spec = scanListSpec(scanFilters(c.get('user'), c.req.valid('query')), settings(c.env).TIME_ZONE);
    return exportCsv(c.env, spec, scanColumns, `scans-${stamp(c.env)}.csv`);
  })
  .get('/audit.csv', requireRole('admin'), validate('query', auditFiltersSchema.strict()), async (c) => {
    const spec = auditListSpec(c.req.valid('query'), settings(c.env).TIME_ZONE);
    return exportCsv(c.env, spec, auditColumns, `audit-${stamp(c.env)}.csv`);
  })
  .get('/bills/:file', requireRole('biller', 'admin'), validate('param', z.object({ file: z.string().max(80).regex(/\.csv$/i, 'expected <billNo>.csv') })), async (c) => {
    const billNo = c.req.valid('param').file.replace(/\.csv$/i, '').trim();
    if (billNo.length === 0) throw new AppError('INVALID_INPUT', 'Bill number missing: expected /api/export/bills/<billNo>.csv.');
    const billId = await withDb(settings(c.env), (db) => findBillId(db, billNo));
    if (billId === null) throw new AppError('NOT_FOUND', `No bill ${billNo}.`);
    return exportCsv(c.env, billLinesSpec(billId), billColumns, `bill-${billNo}.csv`);
  })
  // Returned parents (issue 13), with the filters of the returns list and a time range.
  .get('/returns.csv', requireRole('biller', 'admin'), validate('query', returnExportQuery), async (c) => {
    const spec = returnLinesSpec(c.req.valid('query'), settings(c.env).TIME_ZONE);
    return exportCsv(c.env, spec, returnColumns, `returns-${stamp(c.env)}.csv`);
  });
