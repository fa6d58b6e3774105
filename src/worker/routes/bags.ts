// Bags: the filtered list and the universal lookup (any QR → bag, parent or children, bill, history),
// read from Postgres; dispatchers and supervisors see their own area only.
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import { normalizeQr } from '../../shared/qr';
import { isAreaLimited, scopedAreaId } from '../area-scope';
import { listPage } from '../../db/list';
import { withReadDb } from '../read/read-db';
import { validate } from '../http/validate';
import { bagItem, bagListSpec, lookupBag, suggestQrs, type BagLookup } from '../read/bags';
import { settings } from '../../config/settings';
import type { AppEnv, AuthUser } from '../types';
import { bagListQuery } from './read-queries';
import type { BagPage } from '../../shared/api';
import { mayAccessArea } from '../../shared/area-access';

const MAX_LOOKUP_LENGTH = 64;

/**
 * A child bag belongs to its own area (where it was first scanned) and is also visible from its current
 * parent's area, since that is where it physically is now.
 */
function canSee(user: AuthUser, found: BagLookup): boolean {
  return mayAccessArea(user, found.bag.areaId) || (found.parent !== undefined && mayAccessArea(user, found.parent.areaId));
}

export const bagRoutes = new Hono<AppEnv>()
  .get('/', validate('query', bagListQuery), async (c) => {
    const { limit, cursor, ...filters } = c.req.valid('query');
    const s = settings(c.env);
    const areaId = scopedAreaId(c.get('user'), filters.areaId);
    const page = await withReadDb(c.env, (db) => listPage(db, bagListSpec({ ...filters, areaId }, s.TIME_ZONE), { limit, cursor }, bagItem));
    return c.json(page satisfies BagPage);
  })
  // For dispatchers and supervisors a bag of another area does not exist: the same 404, message and
  // (own-area) suggestions as for a QR nobody scanned, so a lookup never tells which labels other areas use.
  .get('/:qr', async (c) => {
    const qr = normalizeQr(c.req.param('qr'));
    if (qr.length === 0 || qr.length > MAX_LOOKUP_LENGTH) {
      throw new AppError('INVALID_QR', `A QR is 1 to ${MAX_LOOKUP_LENGTH} characters.`);
    }
    const user = c.get('user');
    const ownArea = isAreaLimited(user) ? scopedAreaId(user, undefined) : undefined;
    const found = await withReadDb(c.env, async (db) => {
      const bag = await lookupBag(db, qr, ownArea);
      const visible = bag && canSee(user, bag) ? bag : null;
      return { bag: visible, suggestions: visible ? [] : await suggestQrs(db, qr, ownArea) };
    });
    if (!found.bag) {
      throw new AppError('NOT_FOUND', `No bag with QR ${qr}.`, { suggestions: found.suggestions });
    }
    return c.json(found.bag satisfies BagLookup);
  });
