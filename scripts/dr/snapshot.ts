// What the restore drill compares, read through the API of one deployment: the counters, a sample of
// parents as their objects answer (with their children), one child of each as the lookup answers (its
// parent), and bills as their objects answer (with their parents). Lists are sorted so two reads compare.

export interface ParentFacts {
  qr: string;
  status: string;
  childCount: number;
  children: string[];
  billNo: string | null;
}

export interface BillFacts {
  billNo: string;
  status: string;
  parentCount: number;
  childCount: number;
  parents: string[];
}

export interface Snapshot {
  counts: { parents: number; children: number };
  parents: ParentFacts[];
  /** child QR → the parent its lookup names (null: none). */
  childLookups: Record<string, string | null>;
  bills: BillFacts[];
}

export class Api {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async signIn(baseUrl: string, username: string, password: string): Promise<Api> {
    const res = await fetch(`${baseUrl}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw new Error(`Sign-in as ${username} at ${baseUrl} failed (${res.status}): ${await res.text()}`);
    return new Api(baseUrl, ((await res.json()) as { token: string }).token);
  }

  // The drill reads the API's JSON loosely (a few fields it then compares), not as the contract's types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { raw: text };
    }
    return { status: res.status, body: json };
  }

  /** GETs answered 503 and asked again (a busy Postgres: "try again shortly"); the drill reports them. */
  retries = 0;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async get(path: string, attempts = 4): Promise<any> {
    let r = await this.call('GET', path);
    // An object that cannot reach Postgres in time answers 503 and means it: wait and ask again, a few times.
    for (let i = 1; i < attempts && r.status === 503; i++) {
      this.retries++;
      await new Promise((done) => setTimeout(done, 1000 * 2 ** (i - 1)));
      r = await this.call('GET', path);
    }
    if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

/** Runs `fn` over `items` with at most `width` in flight (a worker allows a few connections; be polite). */
export async function inParallel<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/** How far back each slice of the parent sample starts: the newest parents, and those older than a day, a week, … */
export const SAMPLE_AGES_DAYS = [0, 1, 7, 30, 90, 365] as const;

/**
 * The QRs of up to `n` parents and `b` bills, from the Postgres-backed lists (newest first). The parents are
 * spread over time, not only the newest: an equal slice of the newest parents created before each of
 * SAMPLE_AGES_DAYS ago (open ones of today, completed and billed ones of last month, …). A slice older than
 * all the data is empty, so a small data set is sampled whole. A few list pages, however big the data set.
 */
export async function sampleKeys(api: Api, n: number, b: number, now = new Date()): Promise<{ parents: string[]; bills: string[] }> {
  const seen = new Set<string>();
  /** Takes up to `want` parents not yet sampled from the newest-first list before `to`; returns how many. */
  const take = async (want: number, to?: Date): Promise<number> => {
    const before = to ? `&to=${encodeURIComponent(to.toISOString())}` : '';
    let cursor: string | null = null;
    let taken = 0;
    while (taken < want && seen.size < n) {
      const page: { items: Array<{ qr: string }>; nextCursor: string | null } = await api.get(
        `/api/bags?type=parent&limit=${Math.min(200, want - taken)}${before}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      for (const { qr } of page.items) {
        if (seen.has(qr)) continue; // a slice reaches into the next one's when data is sparse
        seen.add(qr);
        taken++;
      }
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return taken;
  };
  const perSlice = Math.ceil(n / SAMPLE_AGES_DAYS.length);
  for (const days of SAMPLE_AGES_DAYS) {
    const taken = await take(perSlice, days === 0 ? undefined : new Date(now.getTime() - days * 86_400_000));
    if (taken === 0 && days > 0) break; // older than all the data: older slices are empty too
  }
  // Slices older than the data left part of the sample unused: fill it with the newest parents not yet taken.
  if (seen.size < n) await take(n - seen.size);
  const bills = b > 0 ? ((await api.get(`/api/bills?limit=${Math.min(200, b)}`)) as { items: Array<{ billNo: string }> }).items.map((i) => i.billNo) : [];
  return { parents: [...seen].slice(0, n), bills };
}

export async function snapshot(api: Api, keys: { parents: string[]; bills: string[] }, width = 6): Promise<Snapshot> {
  const stats = await api.get('/api/stats');
  const parents = await inParallel(keys.parents, width, async (qr): Promise<ParentFacts> => {
    const { parent } = await api.get(`/api/parents/${encodeURIComponent(qr)}`);
    return {
      qr: parent.qr,
      status: parent.status,
      childCount: parent.childCount,
      children: (parent.children as Array<{ qr: string }>).map((c) => c.qr).sort(),
      billNo: parent.billNo ?? null,
    };
  });
  const firstChildren = parents.flatMap((p) => (p.children[0] ? [p.children[0]] : []));
  const lookups = await inParallel(firstChildren, width, async (qr) => {
    const found = await api.get(`/api/bags/${encodeURIComponent(qr)}`);
    return [qr, (found.parent?.qr as string | undefined) ?? null] as const;
  });
  const bills = await inParallel(keys.bills, width, async (billNo): Promise<BillFacts> => {
    const { bill } = await api.get(`/api/bills/${encodeURIComponent(billNo)}`);
    return {
      billNo: bill.billNo,
      status: bill.status,
      parentCount: bill.parentCount,
      childCount: bill.childCount,
      parents: (bill.parents as Array<{ qr: string }>).map((p) => p.qr).sort(),
    };
  });
  return { counts: { parents: stats.parents, children: stats.children }, parents, childLookups: Object.fromEntries(lookups), bills };
}

/** Every way `after` differs from `before`, as sentences; empty when the restore kept everything. */
export function differences(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  if (before.counts.parents !== after.counts.parents) out.push(`parent count ${before.counts.parents} → ${after.counts.parents}`);
  if (before.counts.children !== after.counts.children) out.push(`child count ${before.counts.children} → ${after.counts.children}`);
  const afterParents = new Map(after.parents.map((p) => [p.qr, p]));
  for (const p of before.parents) {
    const q = afterParents.get(p.qr);
    if (!q) out.push(`parent ${p.qr} missing`);
    else if (JSON.stringify(p) !== JSON.stringify(q)) out.push(`parent ${p.qr}: ${JSON.stringify(p)} → ${JSON.stringify(q)}`);
  }
  for (const [child, parent] of Object.entries(before.childLookups)) {
    if (after.childLookups[child] !== parent) out.push(`lookup of ${child}: parent ${parent} → ${after.childLookups[child] ?? 'none'}`);
  }
  const afterBills = new Map(after.bills.map((b) => [b.billNo, b]));
  for (const b of before.bills) {
    const c = afterBills.get(b.billNo);
    if (!c) out.push(`bill ${b.billNo} missing`);
    else if (JSON.stringify(b) !== JSON.stringify(c)) out.push(`bill ${b.billNo}: ${JSON.stringify(b)} → ${JSON.stringify(c)}`);
  }
  return out;
}
