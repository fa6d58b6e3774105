import { settings } from '../../config/settings';
import { shardName } from './shard';

/** The registry shard responsible for `qr`. */
export function registryFor(env: Env, qr: string): DurableObjectStub<import('./qr-registry').QrRegistry> {
  const name = shardName(qr, settings(env).REGISTRY_SHARDS);
  return env.REGISTRY.get(env.REGISTRY.idFromName(name));
}
