// Bill numbers, without zod (the import screen's Web Worker checks them too); bill.ts re-exports these.
export const BILL_NO_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,39}$/;
export const BILL_NO_FORMAT = '1 to 40 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** Bill numbers are matched like QRs: trimmed and upper-cased, so "b-17 " and "B-17" are one bill. */
export function normalizeBillNo(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isBillNo(billNo: string): boolean {
  return BILL_NO_PATTERN.test(billNo);
}
