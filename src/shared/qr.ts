// QR rules shared by the Worker, the Durable Objects and the UI (PRODUCT.md "Domain rules").

export const PARENT_QR_PATTERN = /^SB\d{5}$/;
export const CHILD_QR_PATTERN = /^[A-Z0-9]{4,20}$/;
export const PARENT_FORMAT = 'SB followed by 5 digits, e.g. SB00860';
export const CHILD_FORMAT = '4 to 20 letters or digits, not SB followed only by digits';
/** Longest raw input we even try to normalize; anything longer is rejected outright. */
export const MAX_RAW_QR_LENGTH = 64;

export type QrRole = 'parent' | 'child';

/** Scanners and people add spaces and lower case; QRs are stored trimmed and upper-cased. */
export function normalizeQr(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isParentQr(qr: string): boolean {
  return PARENT_QR_PATTERN.test(qr);
}

export function isChildQr(qr: string): boolean {
  return CHILD_QR_PATTERN.test(qr) && !looksLikeParentQr(qr);
}

/** The role a normalized QR's format implies, or null when it fits neither format. */
export function roleOfQr(qr: string): QrRole | null {
  if (isParentQr(qr)) return 'parent';
  if (isChildQr(qr)) return 'child';
  return null;
}

/** Digits after "SB" in a parent label. */
export const PARENT_DIGITS = 5;
const PARENT_LOOKALIKE_PATTERN = /^SB\d+$/;

/**
 * "SB" and digits only: meant as a parent label, so never a child, even with the wrong number of digits
 * (SB001234 is a mistyped or misprinted parent, and linking it as a child would give it the wrong role forever).
 */
export function looksLikeParentQr(qr: string): boolean {
  return PARENT_LOOKALIKE_PATTERN.test(qr);
}
