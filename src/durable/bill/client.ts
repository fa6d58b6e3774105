import type { BillSession } from './bill-session';

/** The bill's object; `billNo` must already be normalized (normalizeBillNo), so "b-1" and "B-1" are one bill. */
export function billFor(env: Env, billNo: string): DurableObjectStub<BillSession> {
  return env.BILLS.get(env.BILLS.idFromName(billNo));
}
