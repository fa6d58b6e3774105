// The one area-access rule (PRODUCT.md "Roles"): dispatchers and supervisors work in and see their own
// dispatch area only; billers and admins every area. The Worker's read scoping, the live board, the parent
// object's commands and the UI's user form all ask here, so the rule cannot differ between them.
import type { Role, SessionUser } from './api';

/** Roles bound to one dispatch area (an account of such a role needs an area). */
export function isAreaBound(role: Role): boolean {
  return role === 'dispatcher' || role === 'supervisor';
}

/** May this user act on or see things of dispatch area `areaId`? */
export function mayAccessArea(user: Pick<SessionUser, 'role' | 'areaId'>, areaId: number | null): boolean {
  if (!isAreaBound(user.role)) return true;
  return user.areaId !== null && user.areaId === areaId;
}
