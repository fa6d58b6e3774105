// The name of a flush queue shard (stubs.ts flushQueueNamed): `flush:<shard>/<count>`. Pure, so plain vitest tests it.

/** `flush:<shard>/<count>` → its shard and count, or null for any other name. */
export function parseQueueName(name: string | undefined): { shard: number; count: number } | null {
  const m = /^flush:(\d+)\/(\d+)$/.exec(name ?? '');
  return m ? { shard: Number(m[1]), count: Number(m[2]) } : null;
}
