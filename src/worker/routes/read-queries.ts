// Query-string schemas of the lists, shared by each list and its CSV export (same filters, same meaning).
import { z } from 'zod';
import { pageQuerySchema } from '../../db/list';
import { boolParam, idParam, qrParam, timeParam } from '../read/params';

export const bagFiltersSchema = z.object({
  type: z.enum(['parent', 'child'], { error: 'type must be parent or child' }).optional(),
  areaId: idParam('areaId').optional(),
  status: z.enum(['open', 'completed', 'linked', 'unlinked'], { error: 'status must be open, completed, linked or unlinked' }).optional(),
  linked: boolParam('linked').optional(),
  billed: boolParam('billed').optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  scannedBy: idParam('scannedBy').optional(),
  q: z.string().trim().min(1).max(64, 'q is at most 64 characters').optional(),
});

export const scanFiltersSchema = z.object({
  areaId: idParam('areaId').optional(),
  userId: idParam('userId').optional(),
  /** Alias of userId, as the bag list calls it. */
  scannedBy: idParam('scannedBy').optional(),
  parentQr: qrParam.optional(),
  childQr: qrParam.optional(),
  result: z.enum(['linked', 'duplicate', 'rejected'], { error: 'result must be linked, duplicate or rejected' }).optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
});

export const auditFiltersSchema = z.object({
  actor: z.string().trim().min(1).max(64).optional(),
  action: z.string().trim().min(1).max(64).optional(),
  entity: z.string().trim().min(1).max(64).optional(),
  entityId: z.string().trim().min(1).max(128).optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
});

export const bagListQuery = bagFiltersSchema.extend(pageQuerySchema.shape).strict();
export const scanListQuery = scanFiltersSchema.extend(pageQuerySchema.shape).strict();
export const auditListQuery = auditFiltersSchema.extend(pageQuerySchema.shape).strict();
