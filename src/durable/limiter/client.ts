import { fnv1a } from '../registry/shard';
import type { RateLimiter } from './rate-limiter';

const SHARDS = 16;

export function limiterFor(env: Env, key: string): DurableObjectStub<RateLimiter> {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`limiter:${fnv1a(key) % SHARDS}`));
}
