// Whether a Postgres URL names a database on this machine: a loopback host (localhost, 127.0.0.0/8, ::1)
// or a Unix socket. The demo users, whose password is public, are only ever seeded into such a database.

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);

function isLoopbackHost(host: string): boolean {
  const h = decodeURIComponent(host).toLowerCase();
  if (h.startsWith('/')) return true; // a Unix socket directory
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true;
  const parts = h.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function isLocalDatabaseUrl(url: string): boolean {
  // By hand rather than with URL: `postgres://user@/db?host=/socket` is valid for libpq and postgres.js but
  // not a WHATWG URL.
  const match = /^postgres(?:ql)?:\/\/(?:[^@/?#]*@)?([^/?#]*)[^?#]*(?:\?([^#]*))?/i.exec(url.trim());
  if (!match) return false;
  const [, authority = '', query = ''] = match;
  // libpq and postgres.js take ?host= over the URL's host (a socket directory, or a list of hosts).
  const queryHosts = new URLSearchParams(query).getAll('host').flatMap((h) => h.split(','));
  const urlHosts = authority.split(',');
  const named = (queryHosts.length > 0 ? queryHosts : urlHosts).map((h) => h.trim()).filter((h) => h !== '');
  // No host at all means the default Unix socket.
  if (named.length === 0) return true;
  // A port after a name or IPv4 address (host:5432) or a bracketed IPv6 literal ([::1]:5432).
  return named.every((h) => isLoopbackHost(h.replace(/^(\[[^\]]*\]):\d+$/, '$1').replace(/^([^:]*):\d+$/, '$1')));
}
