/** FNV-1a, 32 bit: cheap, stable across runtimes, and spreads sequential QRs evenly over shards. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function shardOf(qr: string, shardCount: number): number {
  return fnv1a(qr) % shardCount;
}

export function shardName(qr: string, shardCount: number): string {
  return `shard:${shardOf(qr, shardCount)}/${shardCount}`;
}
