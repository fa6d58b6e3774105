import { AppError } from '../shared/errors';
import { MAX_RAW_QR_LENGTH, normalizeQr, PARENT_FORMAT, isParentQr } from '../shared/qr';

/** A parent QR from a path (Hono has already decoded it), normalized, or INVALID_QR saying the format. */
export function parseParentQr(raw: string): string {
  const qr = normalizeQr(raw);
  if (isParentQr(qr)) return qr;
  const shown = qr.length > MAX_RAW_QR_LENGTH ? `${qr.slice(0, MAX_RAW_QR_LENGTH)}…` : qr;
  throw new AppError('INVALID_QR', `"${shown}" is not a parent QR: expected ${PARENT_FORMAT}.`);
}
