// `npm run bench:sign-in`: does the sign-in answer's timing tell a guesser whether a username exists?
// Starts the product on fresh state (or uses TRACETRACK_URL plus DATABASE_URL of its database), creates a
// known, a deactivated and a TOTP account, then sends wrong passwords round-robin for: an unknown username,
// the known one, the deactivated one, the TOTP one; and, from networks already made to wait, the known one
// and an unknown one (the 429 path). Each unthrottled request comes from a fresh client address, so no
// throttle interferes. Prints p50/p95/p99 and mean per class, and each class's mean against the unknown
// username's with a 95 % confidence interval (Welch): an interval around 0 means no measurable difference.
//   ROUNDS=300 npm run bench:sign-in
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { hashPassword } from '../../src/worker/auth/password';
import { freePortFrom, startStack, type Stack } from '../lib/stack';
import { round, Samples } from './stats';

const ROUNDS = Number(process.env.ROUNDS ?? 300);
const WARMUP = 20;
const PASSWORD = 'bench-right-password-1';

let address = 0;
/** A client address no earlier request used (10.0.0.1, 10.0.0.2, …). */
function freshIp(): string {
  address++;
  return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
}

class Series extends Samples {
  private readonly raw: number[] = [];
  override add(value: number): void {
    super.add(value);
    this.raw.push(value);
  }
  mean(): number {
    return this.raw.reduce((a, b) => a + b, 0) / this.raw.length;
  }
  variance(): number {
    const m = this.mean();
    return this.raw.reduce((a, b) => a + (b - m) ** 2, 0) / (this.raw.length - 1);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tt-bench-signin-'));
  let stack: Stack | null = null;
  let base = process.env.TRACETRACK_URL;
  let databaseUrl = process.env.DATABASE_URL;
  try {
    if (!base) {
      // A long first wait, so the throttled classes stay throttled for the whole run.
      stack = await startStack({ port: await freePortFrom(8950), host: '127.0.0.1', dataDir: join(dir, 'data'), persistTo: join(dir, 'wrangler'), buildUi: false, quiet: true, log: () => undefined, vars: { LOGIN_DELAY_BASE_SECONDS: '3600' } });
      base = stack.url;
      databaseUrl = stack.databaseUrl;
    }
    if (!databaseUrl) throw new Error('With TRACETRACK_URL, set DATABASE_URL to its database too (the bench creates its accounts there).');
    const tag = Date.now().toString(36);
    const names = { known: `bench-known-${tag}`, deactivated: `bench-off-${tag}`, totp: `bench-totp-${tag}` };
    const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const hash = await hashPassword(PASSWORD);
      await db`INSERT INTO users (username, password_hash, role) VALUES (${names.known}, ${hash}, 'biller')`;
      await db`INSERT INTO users (username, password_hash, role, active) VALUES (${names.deactivated}, ${hash}, 'biller', false)`;
      await db`INSERT INTO users (username, password_hash, role, totp_secret, totp_enabled) VALUES (${names.totp}, ${hash}, 'admin', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', true)`;
    } finally {
      await db.end();
    }

    const attempt = async (username: string, ip: string): Promise<{ ms: number; status: number }> => {
      const started = performance.now();
      const res = await fetch(`${base}/api/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
        body: JSON.stringify({ username, password: 'wrong-password-for-bench' }),
      });
      await res.arrayBuffer();
      return { ms: performance.now() - started, status: res.status };
    };

    // Two networks made to wait: one for the known username, one for an unknown one.
    const throttledIp = { known: freshIp(), unknown: freshIp() };
    const ghost = `bench-ghost-${tag}`;
    for (const [who, ip] of [[names.known, throttledIp.known], [ghost, throttledIp.unknown]] as const) {
      for (let i = 0; i < 10; i++) if ((await attempt(who, ip)).status === 429) break;
    }

    const classes: Record<string, { expect: number; send: () => Promise<{ ms: number; status: number }> }> = {
      'unknown username': { expect: 401, send: () => attempt(`bench-nobody-${tag}-${address}`, freshIp()) },
      'known username': { expect: 401, send: () => attempt(names.known, freshIp()) },
      'deactivated account': { expect: 401, send: () => attempt(names.deactivated, freshIp()) },
      'TOTP account': { expect: 401, send: () => attempt(names.totp, freshIp()) },
      'throttled, known': { expect: 429, send: () => attempt(names.known, throttledIp.known) },
      'throttled, unknown': { expect: 429, send: () => attempt(ghost, throttledIp.unknown) },
    };
    const series = new Map(Object.keys(classes).map((k) => [k, new Series()]));
    for (let round_ = 0; round_ < WARMUP + ROUNDS; round_++) {
      for (const [name, c] of Object.entries(classes)) {
        const { ms, status } = await c.send();
        if (status !== c.expect) throw new Error(`${name}: expected ${c.expect}, got ${status}`);
        if (round_ >= WARMUP) series.get(name)!.add(ms);
      }
    }

    console.log(`sign-in answer time (ms, client round trip through wrangler dev), ${ROUNDS} rounds after ${WARMUP} warm-up, classes interleaved:`);
    console.log('class                  status    n     p50     p95     p99    mean   mean − same-path reference (95 % CI)');
    for (const [name, s] of series) {
      const ref = series.get(name.startsWith('throttled') ? 'throttled, unknown' : 'unknown username')!;
      const diff = s.mean() - ref.mean();
      const half = 1.96 * Math.sqrt(s.variance() / s.count + ref.variance() / ref.count);
      const sum = s.summary();
      console.log(
        `${name.padEnd(22)} ${String(classes[name]!.expect).padEnd(6)} ${String(sum.n).padStart(4)} ${sum.p50.toFixed(2).padStart(7)} ${sum.p95.toFixed(2).padStart(7)} ${sum.p99.toFixed(2).padStart(7)} ${round(s.mean()).toFixed(2).padStart(7)}   ${ref === s ? '(reference)' : `${diff >= 0 ? '+' : ''}${diff.toFixed(2)} ± ${half.toFixed(2)}`}`,
      );
    }
  } finally {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
