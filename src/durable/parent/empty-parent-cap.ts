// Parent labels are a space of 100,000 and the first opener's area owns one: a user may hold at most
// EMPTY_PARENTS_PER_USER open parents with no child (counted in Postgres, which lags the objects by a flush,
// under a second). At the cap, opening a label the registry does not know is refused; opening an existing
// parent creates nothing and stays allowed. If Postgres cannot be asked, the open goes ahead: the cap guards
// against squatting, it must not stop a floor whose database is briefly away.
import { AppError } from '../../shared/errors';
import type { SessionUser } from '../../shared/types';
import { driverFor } from '../../db/client';
import { countEmptyOpenParents, EMPTY_OPEN_PARENTS_SQL } from '../../db/parents';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import type { ReadResult } from '../reader/pg-reader';
import { readerFor, registryFor } from '../stubs';

/** How long opening a new parent waits for the empty-parent count before going ahead without it. */
const EMPTY_PARENT_COUNT_TIMEOUT_MS = 500;

/** The refusal for a new label at the cap, or null. */
export async function emptyParentCap(env: Env, user: SessionUser, qr: string): Promise<AppError | null> {
  const cap = settings(env).EMPTY_PARENTS_PER_USER;
  let held: number;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // A busy database must not hold up opening a bag: past EMPTY_PARENT_COUNT_TIMEOUT_MS the open goes ahead.
    held = await Promise.race([
      emptyParentsOf(env, user.id, cap),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('empty-parent count timed out')), EMPTY_PARENT_COUNT_TIMEOUT_MS))),
    ]);
  } catch (err) {
    console.error('empty-parent count unavailable; opening without it', qr, err instanceof Error ? err.message : err);
    return null;
  } finally {
    clearTimeout(timer);
  }
  if (held < cap) return null;
  const entry = await registryFor(env, qr).lookup(qr);
  if (entry?.role === 'parent') return null;
  return new AppError(
    'TOO_MANY_EMPTY_PARENTS',
    `You already hold ${cap} open parent bags with no child bag in them: fill or complete those first (or ask an admin to delete unused ones) before opening a new label.`,
    { limit: cap },
  );
}

/** Over TCP through a PgReader object (kept connections, like the read side); with neon-http, one query. */
async function emptyParentsOf(env: Env, userId: number, cap: number): Promise<number> {
  const s = settings(env);
  if (driverFor(s) === 'postgres-js' && s.READ_VIA_OBJECT) {
    const result = (await readerFor(env).query(EMPTY_OPEN_PARENTS_SQL, [userId, cap])) as ReadResult;
    if (!result.ok) throw new Error(result.message);
    return Number((result.rows[0] as { n?: number | string } | undefined)?.n ?? 0);
  }
  return withDb(s, (db) => countEmptyOpenParents(db, userId, cap));
}
