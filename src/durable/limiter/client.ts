import { fnv1a } from '../registry/shard';
import type { RateLimiter } from './rate-limiter';

const SHARDS = 16;

function shard(env: Env, index: number): DurableObjectStub<RateLimiter> {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`limiter:${index}`));
}

export function limiterFor(env: Env, key: string): DurableObjectStub<RateLimiter> {
  return shard(env, fnv1a(key) % SHARDS);
}

/** The shard holding a network's sign-in keys (its own and every (username, network) key). */
export function signInLimiterFor(env: Env, network: string): DurableObjectStub<RateLimiter> {
  return limiterFor(env, `sign-in:${network}`);
}

/** Every shard, for the admins' list and clear of throttled sign-ins. */
export function allLimiters(env: Env): Array<DurableObjectStub<RateLimiter>> {
  return Array.from({ length: SHARDS }, (_, i) => shard(env, i));
}
