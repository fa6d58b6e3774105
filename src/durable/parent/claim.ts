// Claiming a child in the sharded registry, with crash repair kept off the common path.
import { parentFor, registryFor } from '../stubs';
import type { ClaimResult } from '../registry/qr-registry';
import { log } from '../../observability/log';

/**
 * Claims a child in the registry. When the registry names another parent, that parent is asked whether
 * it really holds the child (or is claiming it right now); a parent that died between its claim and its
 * link says no, and the claim moves here.
 */
export async function claimChild(env: Env, childQr: string, parentQr: string, requestId: string | null): Promise<ClaimResult> {
  const registry = registryFor(env, childQr);
  const claim = (await registry.claimChild(childQr, parentQr)) as ClaimResult;
  if (!('error' in claim) || claim.error.code !== 'CHILD_IN_OTHER_PARENT') return claim;
  const owner = String(claim.error.parentQr);
  const holds = await parentFor(env, owner).holdsChild(childQr);
  if (holds) return claim;
  log.warn('claim repair: moving a stale registry claim', { object: 'ParentSession', childQr, from: owner, to: parentQr, requestId });
  return (await registry.reassignChild(childQr, owner, parentQr)) as ClaimResult;
}
