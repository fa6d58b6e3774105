// Dispatch-area limits for reads: dispatchers and supervisors see their own area only, whatever they ask
// for; admins and billers see every area. Applied server-side to every list, lookup, report and export.
import { isAreaBound } from '../shared/area-access';
import { AppError } from '../shared/errors';
import type { AuthUser } from './types';

export function isAreaLimited(user: AuthUser): boolean {
  return isAreaBound(user.role);
}

/**
 * The area filter a query must apply: the caller's own area for area-limited roles (403 AREA_FORBIDDEN
 * when they ask for another), otherwise what they asked for (undefined = all areas).
 */
export function scopedAreaId(user: AuthUser, requested: number | undefined): number | undefined {
  if (!isAreaLimited(user)) return requested;
  if (user.areaId === null) throw new AppError('FORBIDDEN', 'Your account has no dispatch area.');
  if (requested !== undefined && requested !== user.areaId) {
    throw new AppError('AREA_FORBIDDEN', 'You can only see bags and scans of your own dispatch area.');
  }
  return user.areaId;
}
