// Streamed CSV exports with the lists' filters. Who may export:
//  bags, scans: supervisor (own area, forced), biller, admin; a bill: biller, admin; audit: admin.
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { scopedAreaId } from '../area-scope';
import { requireRole } from '../auth/middleware';
import { clientKeyOf } from '../db/event-ids';
import { openDb, withDb } from '../db/with-db';
import { csvResponse, type CsvColumn } from '../http/csv';
import { validate } from '../http/validate';
import { auditListSpec, type AuditRow } from '../read/audit';
import { bagListSpec, type BagRow } from '../read/bags';
import { billLinesSpec, findBillId, type BillLineRow } from '../read/bill-export';
import { localDate } from '../read/local-time';
import { scanListSpec, type ScanRow } from '../read/scans';
import { settings } from '../settings';
import type { AppEnv } from '../types';
import { auditFiltersSchema, bagFiltersSchema, scanFiltersSchema } from './read-queries';
import { scanFilters } from './scans';

const bagColumns: CsvColumn<BagRow>[] = [
  { header: 'qr', value: (r) => r.qr },
  { header: 'type', value: (r) => r.type },
  { header: 'area_id', value: (r) => r.area_id },
  { header: 'status', value: (r) => r.status },
  { header: 'child_count', value: (r) => Number(r.child_count) },
  { header: 'created_at', value: (r) => r.created_at },
  { header: 'created_by', value: (r) => r.created_by_name },
];

const scanColumns: CsvColumn<ScanRow>[] = [
  { header: 'at', value: (r) => r.created_at },
  { header: 'scan_id', value: (r) => clientKeyOf(r.scan_id) },
  { header: 'parent_qr', value: (r) => r.parent_qr },
  { header: 'child_qr', value: (r) => r.child_qr },
  { header: 'result', value: (r) => r.result },
  { header: 'error_code', value: (r) => r.error_code },
  { header: 'user', value: (r) => r.username },
  { header: 'area_id', value: (r) => r.area_id },
];

const billColumns: CsvColumn<BillLineRow>[] = [
  { header: 'bill_no', value: (r) => r.bill_no },
  { header: 'destination', value: (r) => r.destination },
  { header: 'vehicle_no', value: (r) => r.vehicle_no },
  { header: 'parent_qr', value: (r) => r.parent_qr },
  { header: 'parent_area_id', value: (r) => r.parent_area_id },
  { header: 'parent_child_count', value: (r) => Number(r.parent_child_count) },
  { header: 'added_to_bill_at', value: (r) => r.added_at },
  { header: 'child_qr', value: (r) => r.child_qr },
  { header: 'linked_at', value: (r) => r.linked_at },
];

const auditColumns: CsvColumn<AuditRow>[] = [
  { header: 'at', value: (r) => r.at },
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

const stamp = (env: Env) => localDate(new Date(), settings(env).TIME_ZONE);

export const exportRoutes = new Hono<AppEnv>()
  .get('/bags.csv', requireRole('supervisor', 'biller', 'admin'), validate('query', bagFiltersSchema.strict()), async (c) => {
    const s = settings(c.env);
    const q = c.req.valid('query');
    const spec = bagListSpec({ ...q, areaId: scopedAreaId(c.get('user'), q.areaId) }, s.TIME_ZONE);
    return csvResponse({ ...(await openDb(s)), spec, columns: bagColumns, filename: `bags-${stamp(c.env)}.csv` });
  })
  .get('/scans.csv', requireRole('supervisor', 'biller', 'admin'), validate('query', scanFiltersSchema.strict()), async (c) => {
    const s = settings(c.env);
    const spec = scanListSpec(scanFilters(c.get('user'), c.req.valid('query')), s.TIME_ZONE);
    return csvResponse({ ...(await openDb(s)), spec, columns: scanColumns, filename: `scans-${stamp(c.env)}.csv` });
  })
  .get('/audit.csv', requireRole('admin'), validate('query', auditFiltersSchema.strict()), async (c) => {
    const s = settings(c.env);
    const spec = auditListSpec(c.req.valid('query'), s.TIME_ZONE);
    return csvResponse({ ...(await openDb(s)), spec, columns: auditColumns, filename: `audit-${stamp(c.env)}.csv` });
  })
  .get('/bills/:file', requireRole('biller', 'admin'), validate('param', z.object({ file: z.string().max(80).regex(/\.csv$/i, 'expected <billNo>.csv') })), async (c) => {
    const billNo = c.req.valid('param').file.replace(/\.csv$/i, '').trim();
    if (billNo.length === 0) throw new AppError('INVALID_INPUT', 'Bill number missing: expected /api/export/bills/<billNo>.csv.');
    const s = settings(c.env);
    const billId = await withDb(s, (db) => findBillId(db, billNo));
    if (billId === null) throw new AppError('NOT_FOUND', `No bill ${billNo}.`);
    return csvResponse({ ...(await openDb(s)), spec: billLinesSpec(billId), columns: billColumns, filename: `bill-${billNo}.csv` });
  });
