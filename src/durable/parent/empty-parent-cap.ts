// Parent labels are a space of 100,000 and the first opener's area owns one: a user may hold at most
// EMPTY_PARENTS_PER_USER open parents with no child. The user's EmptyParentLedger answers from memory (it
// reads Postgres only when it starts and near the cap, see empty-parent-ledger.ts), so a normal open pays one
// object call and no query. At the cap, opening a label the registry does not know is refused; opening an
// existing parent creates nothing and stays allowed. If the ledger cannot answer in time, the open goes ahead:
// the cap guards against squatting, it must not stop a floor.
import { AppError } from '../../shared/errors';
import type { SessionUser } from '../../shared/types';
import { settings } from '../../config/settings';
import type { ReserveResult } from '../limiter/empty-parent-ledger';
import { emptyParentLedgerFor, registryFor } from '../stubs';
import { errorFields, log } from '../../observability/log';
import type { ParentState } from './parent-logic';

/**
 * How long opening a new parent waits for the empty-parent ledger before going ahead without it. The ledger
 * answers from memory; it waits for Postgres only when it starts for a user and before it refuses (never for
 * an honest floor's open below the cap), so this can be generous without slowing opens.
 */
const EMPTY_PARENT_COUNT_TIMEOUT_MS = 5000;

/** The refusal for a new label at the cap, or null. */
export async function emptyParentCap(env: Env, user: SessionUser, qr: string): Promise<AppError | null> {
  const cap = settings(env).EMPTY_PARENTS_PER_USER;
  let answer: ReserveResult;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    answer = await Promise.race([
      emptyParentLedgerFor(env, user.id).reserve(user.id, qr, cap),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('empty-parent ledger timed out')), EMPTY_PARENT_COUNT_TIMEOUT_MS))),
    ]);
  } catch (err) {
    log.warn('empty-parent cap unavailable; opening without it', { object: 'ParentSession', parentQr: qr, userId: user.id, ...errorFields(err) });
    return null;
  } finally {
    clearTimeout(timer);
  }
  if (answer.ok) return null;
  const entry = await registryFor(env, qr).lookup(qr);
  if (entry?.role === 'parent') return null;
  return new AppError(
    'TOO_MANY_EMPTY_PARENTS',
    `You already hold ${cap} open parent bags with no child bag in them: fill or complete those first (or ask an admin to delete unused ones) before opening a new label.`,
    { limit: cap },
  );
}

/**
 * The first child: the parent stops counting against its creator's empty-parent cap. After the ack, never
 * awaited; a lost call only keeps the label counted until the ledger's next Postgres read (or ten minutes).
 */
export function tellLedgerFilled(env: Env, state: ParentState, background: (p: Promise<unknown>) => void): void {
  background(
    emptyParentLedgerFor(env, state.createdById)
      .filled(state.qr)
      .catch((err) => log.warn('empty-parent ledger not told', { object: 'ParentSession', parentQr: state.qr, ...errorFields(err) })),
  );
}
