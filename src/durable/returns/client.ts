import type { ReturnTicket } from './return-ticket';

/** The ticket's object; `code` must already be normalized (normalizeReturnCode). */
export function returnFor(env: Env, code: string): DurableObjectStub<ReturnTicket> {
  return env.RETURNS.get(env.RETURNS.idFromName(code));
}
