// Statement timing for the embedded PGlite (issue 15's profile): PGLITE_TIMING=1 makes `npm start` (and so
// bench:scan) print, every PGLITE_TIMING_EVERY_MS (default 5000), how busy PGlite's one backend was and which
// statements took its time. PGlite runs one protocol message batch at a time for every connection, so its busy
// share is the share of wall time nobody else could use it; a transaction also holds it between its messages.
import type { PGlite } from '@electric-sql/pglite';

interface Bucket {
  count: number;
  totalMs: number;
  maxMs: number;
}

/** The first statement a protocol message batch carries: 'Q' (simple query) or 'P' (parse), else its type byte. */
export function statementLabel(message: Uint8Array): string {
  const type = String.fromCharCode(message[0] ?? 0);
  let text = '';
  if (type === 'Q') text = new TextDecoder().decode(message.subarray(5, Math.min(message.length, 400)));
  else if (type === 'P') {
    // P, int32 length, statement name\0, query\0 …
    let i = 5;
    while (i < message.length && message[i] !== 0) i++;
    text = new TextDecoder().decode(message.subarray(i + 1, Math.min(message.length, i + 400)));
  } else return `(${type === '\0' ? 'startup' : type})`;
  const flat = text.split('\0')[0]!.replace(/\s+/g, ' ').trim();
  // Long CTE statements: name them by their first table written, which is what tells them apart.
  const target = /\b(insert into|update|delete from)\s+"?(\w+)"?/i.exec(flat);
  const head = flat.slice(0, 48);
  return target ? `${head} … ${target[1]!.toLowerCase()} ${target[2]}` : head;
}

function cString(message: Uint8Array, from: number): string {
  let end = from;
  while (end < message.length && message[end] !== 0) end++;
  return new TextDecoder().decode(message.subarray(from, end));
}

export function instrumentPglite(db: PGlite, everyMs = 5000, print: (line: string) => void = (l) => console.log(l)): () => void {
  const original = db.execProtocolRawStream.bind(db);
  const buckets = new Map<string, Bucket>();
  let busyMs = 0;
  let windowStart = performance.now();
  let transactionStarted: number | null = null;
  let transactionMs = 0;
  let transactions = 0;
  let longestTransactionMs = 0;
  // pglite-socket hands PGlite one protocol message at a time, and an extended query (Parse, Bind, Describe,
  // Execute, Sync) from one connection runs without interleaving: its messages count under its Parse's text.
  let extended = '(none)';
  const named = new Map<string, string>();
  db.execProtocolRawStream = (async (message: Uint8Array, options?: unknown) => {
    const started = performance.now();
    try {
      return await (original as (m: Uint8Array, o?: unknown) => Promise<unknown>)(message, options);
    } finally {
      const ms = performance.now() - started;
      busyMs += ms;
      const type = String.fromCharCode(message[0] ?? 0);
      let label = statementLabel(message);
      if (type === 'P') {
        extended = label;
        const name = cString(message, 5);
        if (name) named.set(name, label);
      } else if (type === 'B') {
        // Bind: portal name, then the prepared statement's name (named statements are parsed once per connection).
        const portal = cString(message, 5);
        const name = cString(message, 5 + Buffer.byteLength(portal) + 1);
        extended = (name && named.get(name)) || extended;
        label = extended;
      } else if ('DESCH'.includes(type)) label = extended;
      const b = buckets.get(label) ?? { count: 0, totalMs: 0, maxMs: 0 };
      b.count++;
      b.totalMs += ms;
      b.maxMs = Math.max(b.maxMs, ms);
      buckets.set(label, b);
      const inTx = db.isInTransaction();
      if (inTx && transactionStarted === null) transactionStarted = started;
      else if (!inTx && transactionStarted !== null) {
        const held = performance.now() - transactionStarted;
        transactionMs += held;
        transactions++;
        longestTransactionMs = Math.max(longestTransactionMs, held);
        transactionStarted = null;
      }
    }
  }) as typeof db.execProtocolRawStream;

  const timer = setInterval(() => {
    const wall = performance.now() - windowStart;
    const top = [...buckets.entries()].sort((a, b) => b[1].totalMs - a[1].totalMs).slice(0, 12);
    print(
      `[pglite] ${Math.round(wall)} ms: busy ${Math.round(busyMs)} ms (${Math.round((100 * busyMs) / wall)} %), ` +
        `${transactions} transactions held it ${Math.round(transactionMs)} ms (longest ${Math.round(longestTransactionMs)} ms)`,
    );
    for (const [label, b] of top) {
      print(`[pglite]   ${b.totalMs.toFixed(0).padStart(6)} ms ${String(b.count).padStart(5)}× max ${b.maxMs.toFixed(0).padStart(5)} ms  ${label}`);
    }
    buckets.clear();
    busyMs = 0;
    transactionMs = 0;
    transactions = 0;
    longestTransactionMs = 0;
    windowStart = performance.now();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
