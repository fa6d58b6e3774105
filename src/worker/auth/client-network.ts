// The client's network, as sign-in throttling counts it. The address is `CF-Connecting-IP`: Cloudflare sets
// it in production (overwriting whatever the client sent), and `wrangler dev` (miniflare) sets it from the
// socket only when the request has none, so local tests can play several clients by sending it themselves.
// An IPv4 address counts alone; an IPv6 address counts by its /64, the block one subscriber normally gets
// (counting single IPv6 addresses would hand an attacker 2^64 fresh "clients").

export const UNKNOWN_NETWORK = 'unknown';

export function clientAddress(header: string | undefined | null): string | null {
  const value = header?.trim();
  return value ? value : null;
}

/** `a.b.c.d`, `xxxx:xxxx:xxxx:xxxx::/64`, or `unknown` for a missing or malformed address. */
export function clientNetwork(address: string | null | undefined): string {
  if (!address) return UNKNOWN_NETWORK;
  const text = address.trim().toLowerCase();
  const v4 = ipv4(text);
  if (v4) return v4;
  const groups = ipv6Groups(text.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (!groups) return UNKNOWN_NETWORK;
  // IPv4-mapped (::ffff:a.b.c.d) is an IPv4 client.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

function ipv4(text: string): string | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number).join('.');
}

/** The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted IPv4 expanded), or null. */
function ipv6Groups(text: string): number[] | null {
  if (!/^[0-9a-f:.]+$/.test(text) || text.split('::').length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = ipv4(piece);
        if (!v4) return null;
        const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        if (!/^[0-9a-f]{1,4}$/.test(piece)) return null;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  if (!left || !right) return null;
  if (tail === undefined) return left.length === 8 ? left : null;
  const missing = 8 - left.length - right.length;
  if (missing < 1) return null;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}
