// A parent whose object has no state may still exist: the registry knows it (after a registry rebuild or an
// import) and Postgres holds its history. These re-derive its state from Postgres; the shell adopts it.
import { AppError } from '../../shared/errors';
import { PARENT_FORMAT } from '../../shared/qr';
import type { SessionUser } from '../../shared/types';
import { loadParent, type StoredParent } from '../../db/parents';
import { withDb } from '../../db/with-db.workerd';
import { settings } from '../../config/settings';
import { fail, ok, type RpcResult } from '../rpc';
import { registryFor } from '../stubs';
import { newSessionState, sessionFromStored, type ParentState } from './parent-logic';
import { errorFields, log } from '../../observability/log';

export function parentNotFound(qr: string): AppError {
  return new AppError('PARENT_NOT_FOUND', `Parent ${qr} does not exist: open it and scan its children first.`, { parentQr: qr });
}

/** The parent's row and children in Postgres (null: none); UNAVAILABLE when Postgres cannot be asked. */
export async function loadStored(env: Env, qr: string, opts: { requestId?: string | null; history?: boolean } = {}): Promise<RpcResult<StoredParent | null>> {
  try {
    return ok(await withDb(settings(env), (db) => loadParent(db, qr)));
  } catch (err) {
    log.error('cannot load known parent from Postgres', { object: 'ParentSession', parentQr: qr, requestId: opts.requestId, ...errorFields(err) });
    const what = opts.history ? 'its history cannot be loaded' : 'cannot be loaded';
    return fail(new AppError('UNAVAILABLE', `Parent ${qr} exists but ${what} right now; try again shortly.`));
  }
}

/**
 * A bill may only take a parent that exists: a QR the registry does not know as a parent, or one Postgres
 * has no row for, is PARENT_NOT_FOUND; otherwise its state, bill membership included, from Postgres.
 */
export async function knownParent(env: Env, qr: string): Promise<RpcResult<ParentState>> {
  const entry = await registryFor(env, qr).lookup(qr);
  if (!entry || entry.role !== 'parent') return fail(parentNotFound(qr));
  const stored = await loadStored(env, qr);
  if (!stored.ok) return stored;
  if (!stored.value) return fail(parentNotFound(qr));
  return ok(sessionFromStored(stored.value, stored.value.areaId ?? 0, settings(env).PARENT_CAPACITY));
}

/**
 * The state a dry run of scans starts from when the object has none: the parent as Postgres has it (if the
 * registry knows it), or a new parent in the caller's (or the chosen) area. Nothing is stored.
 */
export async function previewBase(env: Env, user: SessionUser, qr: string, requestedAreaId?: number): Promise<RpcResult<ParentState>> {
  const entry = await registryFor(env, qr).lookup(qr);
  if (entry?.role === 'child') {
    return fail(new AppError('QR_ROLE_CONFLICT', `${qr} is a child bag and cannot be opened as a parent (expected ${PARENT_FORMAT}).`));
  }
  const areaId = user.areaId ?? requestedAreaId;
  let stored: StoredParent | null = null;
  if (entry) {
    const loaded = await loadStored(env, qr);
    if (!loaded.ok) return loaded;
    stored = loaded.value;
  }
  if (!stored && (areaId === undefined || areaId === null)) {
    return fail(new AppError('INVALID_INPUT', `Parent ${qr} is new: choose the dispatch area for the parents this file creates.`));
  }
  const capacity = settings(env).PARENT_CAPACITY;
  return ok(stored ? sessionFromStored(stored, areaId ?? 0, capacity) : newSessionState(qr, areaId as number, capacity, user, Date.now()));
}
