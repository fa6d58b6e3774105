// A bill whose object has no state may still exist in Postgres (imported, or its object's storage lost):
// its state is re-derived from there, parents and returned lines included.
import { AppError } from '../../shared/errors';
import { loadBill, type StoredBill } from '../../db/bills';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { fail, ok, type RpcResult } from '../rpc';
import type { BillState } from './bill-logic';
import { errorFields, log } from '../../observability/log';

/**
 * The bill as Postgres has it: NOT_FOUND when Postgres has no such bill; UNAVAILABLE when Postgres cannot
 * be asked (we cannot tell "no such bill" from "not loaded yet").
 */
export async function billFromPostgres(env: Env, billNo: string): Promise<RpcResult<BillState>> {
  let stored: StoredBill | null;
  try {
    stored = await withDb(settings(env), (db) => loadBill(db, billNo));
  } catch (err) {
    log.error('cannot load bill from Postgres', { object: 'BillSession', billNo, ...errorFields(err) });
    return fail(new AppError('UNAVAILABLE', `Bill ${billNo} cannot be looked up right now; try again shortly.`));
  }
  if (!stored) return fail(new AppError('NOT_FOUND', `Bill ${billNo} does not exist.`, { billNo }));
  return ok(billFromStored(stored, settings(env).PARENT_CAPACITY));
}

export function billFromStored(stored: StoredBill, parentCapacity: number): BillState {
return {
    billNo: stored.billNo,
    destination: stored.destination,
    vehicleNo: stored.vehicleNo,
    description: stored.description,
    capacity: stored.capacity,
    createdAt: Date.parse(stored.createdAt),
    createdById: stored.createdById ?? 0,
    createdByName: stored.createdByName ?? 'unknown',
    finalized: stored.finalized,
    finalizedAt: stored.finalizedAt === null ? null : Date.parse(stored.finalizedAt),
    finalizedBy: null,
    parents: new Map(
      stored.parents.map((p) => [
        p.qr,
        {
          qr: p.qr,
          addedAt: Date.parse(p.addedAt),
          byId: p.byId ?? 0,
          byName: p.byName ?? 'unknown',
          childCount: p.childCount,
          status: p.status,
          areaId: p.areaId,
          capacity: parentCapacity,
        },
      ]),
    ),
    weight:
      stored.actualWeightKg === null
        ? null
        : {
            kg: stored.actualWeightKg,
            source: stored.weightSource ?? 'manual',
            at: stored.weighedAt === null ? Date.now() : Date.parse(stored.weighedAt),
            byId: stored.weighedById ?? 0,
            byName: stored.weighedByName ?? 'unknown',
          },
    returned: stored.returned.map((r) => ({
      qr: r.qr,
      ticketCode: r.ticketCode,
      at: Date.parse(r.returnedAt),
      childCount: r.childCount,
      byId: r.byId ?? 0,
      byName: r.byName ?? 'unknown',
      billVersion: 0,
    })),
    // Versions only need to grow per bill: starting from the clock keeps a re-derived bill's calls newer
    // than any call an earlier incarnation of this object made to its parents.
    version: Date.now(),
  };
}
