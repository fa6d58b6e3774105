// Sign-in protection that cannot be turned against the users (issue 10, point 2): guessing is throttled per
// (username, client network) and per network with growing waits; the real user on another network gets in;
// unknown and known usernames read the same in every state; admins list and clear throttles.
import { env } from 'cloudflare:test';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/worker/auth/password';
import { api } from './helpers';
import { rows, sql } from './db';

const RIGHT = 'right-password-123';
let n = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${++n}`;
/** A client network no other test (or test file) uses: 10.<random>.<random>.<i>. */
function network(): (i?: number) => string {
  const [a, b] = crypto.getRandomValues(new Uint8Array(2));
  return (i = 1) => `10.${a}.${b}.${i}`;
}

async function makeUser(options: { role?: 'biller' | 'admin'; active?: boolean; totpSecret?: string } = {}) {
  const username = unique('thr');
  await rows(sql`INSERT INTO users (username, password_hash, role, active, totp_secret, totp_enabled)
    VALUES (${username}, ${await hashPassword(RIGHT)}, ${options.role ?? 'biller'}, ${options.active ?? true}, ${options.totpSecret ?? null}, ${options.totpSecret !== undefined})`);
  return username;
}

const signIn = (username: string, password: string, ip: string, otp?: string) =>
  api('POST', '/api/auth/token', { body: otp === undefined ? { username, password } : { username, password, otp }, headers: { 'cf-connecting-ip': ip } });

/** Fails until the network's next attempt is refused; returns the statuses seen. */
async function failUntilRefused(username: string, ip: string, max = 12): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < max; i++) {
    const res = await signIn(username, 'wrong-password', ip);
    seen.push(res.status);
    if (res.status === 429) break;
  }
  return seen;
}

describe('an attacker cannot lock the real user out', () => {
  it('wrong passwords from one network leave the right password from another network working', async () => {
    const name = await makeUser();
    const attacker = network();
    expect(await failUntilRefused(name, attacker())).toEqual([401, 401, 401, 401, 401, 401, 429]);
    // The old lock-out refused the right password too, from anywhere, for 15 minutes.
    const real = await signIn(name, RIGHT, network()());
    expect(real.status).toBe(200);
    // The attacker's network keeps waiting, right password or not.
    expect((await signIn(name, RIGHT, attacker())).status).toBe(429);
  });

  it('holds for an admin with TOTP: password and a current code from a clean network are accepted', async () => {
    const secret = new Secret({ size: 20 }).base32;
    const name = await makeUser({ role: 'admin', totpSecret: secret });
    const attacker = network();
    expect((await failUntilRefused(name, attacker())).at(-1)).toBe(429);
    const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate();
    const real = await signIn(name, RIGHT, network()(), code);
    expect(real.status).toBe(200);
    expect(real.body.user.role).toBe('admin');
  });

  it('makes each further failure wait twice as long, per (username, network) only', async () => {
    const name = await makeUser();
    const net = network();
    for (let i = 0; i < 6; i++) expect((await signIn(name, 'wrong-password', net())).status).toBe(401);
    const first = await signIn(name, 'wrong-password', net());
    expect(first.status).toBe(429);
    expect(first.body.error.code).toBe('RATE_LIMITED');
    expect(first.headers.get('retry-after')).toBe('1');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await signIn(name, 'wrong-password', net())).status).toBe(401);
    expect((await signIn(name, 'wrong-password', net())).headers.get('retry-after')).toBe('2');
    // Another username from the same network, and the same username from another network, are not slowed.
    expect((await signIn(await makeUser(), 'wrong-password', net())).status).toBe(401);
    expect((await signIn(name, 'wrong-password', network()())).status).toBe(401);
  });

  it('counts IPv6 clients by their /64', async () => {
    const name = await makeUser();
    const [a, b] = crypto.getRandomValues(new Uint16Array(2)).map((x) => x | 1);
    const prefix = `2001:db8:${a!.toString(16)}:${b!.toString(16)}`;
    for (let i = 1; i <= 6; i++) expect((await signIn(name, 'wrong-password', `${prefix}::${i.toString(16)}`)).status).toBe(401);
    // A seventh address of the same /64 is the same client.
    expect((await signIn(name, RIGHT, `${prefix}:ffff:1:2:3`)).status).toBe(429);
    // The neighbouring /64 is another client.
    expect((await signIn(name, RIGHT, `2001:db8:${a!.toString(16)}:${(b! + 1).toString(16)}::1`)).status).toBe(200);
  });

  it('slows a network that sprays many usernames, and only that network', { timeout: 90_000 }, async () => {
    const { LOGIN_NETWORK_FREE_FAILURES: free } = (await import('../../src/config/settings')).settings(env);
    const spray = network();
    const statuses: number[] = [];
    for (let i = 0; i <= free; i++) statuses.push((await signIn(unique('nobody'), 'wrong-password', spray())).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(free + 1);
    expect((await signIn(unique('nobody'), 'wrong-password', spray())).status).toBe(429);
    expect((await signIn(await makeUser(), RIGHT, spray())).status).toBe(429);
    expect((await signIn(await makeUser(), RIGHT, network()())).status).toBe(200);
  });
});

describe('unknown and known usernames read the same', () => {
  /** Status, code, message and Retry-After: everything a guesser sees (timing: `npm run bench:sign-in`). */
  const seen = (res: Awaited<ReturnType<typeof signIn>>) => ({ status: res.status, body: res.body, retryAfter: res.headers.get('retry-after') });

  it('fresh, after failures, while throttled, and again from a clean network', async () => {
    const known = await makeUser();
    const unknown = unique('ghost');
    const [netK, netU] = [network(), network()];
    expect(seen(await signIn(known, 'wrong-password', netK()))).toEqual(seen(await signIn(unknown, 'wrong-password', netU())));
    for (let i = 0; i < 5; i++) {
      expect(seen(await signIn(known, 'wrong-password', netK()))).toEqual(seen(await signIn(unknown, 'wrong-password', netU())));
    }
    const [k, u] = [seen(await signIn(known, 'wrong-password', netK())), seen(await signIn(unknown, 'wrong-password', netU()))];
    expect(k.status).toBe(429);
    expect(k).toEqual(u);
    // The right password changes nothing for the throttled network…
    expect(seen(await signIn(known, RIGHT, netK())).status).toBe(429);
    // …and a clean network is back to the plain 401 for both.
    const [k2, u2] = [seen(await signIn(known, 'wrong-password', network()())), seen(await signIn(unknown, 'wrong-password', network()()))];
    expect(k2).toEqual(u2);
    expect(k2.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'Wrong username or password.' });
  });

  it('a deactivated account answers like an unknown one to a wrong password, and says so only to the right one', async () => {
    const off = await makeUser({ active: false });
    const net = network();
    expect(seen(await signIn(off, 'wrong-password', net(1)))).toEqual(seen(await signIn(unique('ghost'), 'wrong-password', net(2))));
    const right = await signIn(off, RIGHT, net(3));
    expect(right.status).toBe(403);
    expect(right.body.error.code).toBe('ACCOUNT_DEACTIVATED');
    expect(right.body.error.message).toMatch(/deactivated/);
    const [audit] = await rows<{ after: { reason: string } }>(sql`SELECT after FROM audit_log WHERE action = 'auth.login_failed' AND after->>'username' = ${off} ORDER BY id DESC LIMIT 1`);
    expect(audit!.after.reason).toBe('inactive');
  });

  it('a TOTP account answers a wrong password like any other', async () => {
    const name = await makeUser({ role: 'admin', totpSecret: new Secret({ size: 20 }).base32 });
    const net = network();
    expect(seen(await signIn(name, 'wrong-password', net(1)))).toEqual(seen(await signIn(unique('ghost'), 'wrong-password', net(2))));
    expect((await signIn(name, RIGHT, net(3))).body.error.code).toBe('OTP_REQUIRED');
  });
});

describe('admins see and clear throttles', () => {
  it('lists throttled (username, network) pairs and networks, clears them, audited', async () => {
    const name = await makeUser();
    const net = network();
    expect((await failUntilRefused(name, net())).at(-1)).toBe(429);
    const [user] = await rows<{ id: number }>(sql`SELECT id FROM users WHERE username = ${name}`);

    const listed = await api('GET', `/api/admin/sign-in-throttles?username=${name.toUpperCase()}`, { as: 'admin' });
    expect(listed.status).toBe(200);
    // Six failures counted; the seventh attempt was refused without a password check, so it is not one.
    expect(listed.body.items).toEqual([
      { scope: 'account', username: name, network: net(), userId: Number(user!.id), failures: 6, lastFailureAt: expect.any(String), blockedUntil: listed.body.items[0]?.blockedUntil },
    ]);
    // Waiting (an ISO time) or, if the 1 s wait is over already, null: the next failure waits 2 s.
    expect([null, expect.stringMatching(/^\d{4}-\d\d-\d\dT/)]).toContainEqual(listed.body.items[0].blockedUntil);
    expect(listed.body.nextCursor).toBeNull();
    expect((await api('GET', '/api/admin/sign-in-throttles', { as: 'supervisor' })).status).toBe(403);
    expect((await api('GET', '/api/admin/sign-in-throttles?network=not-an-ip', { as: 'admin' })).status).toBe(400);

    const cleared = await api('POST', '/api/admin/sign-in-throttles/clear', { as: 'admin', body: { username: name }, headers: { 'cf-connecting-ip': '198.51.100.20' } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.cleared).toBe(1);
    expect((await signIn(name, RIGHT, net())).status).toBe(200);
    const [audit] = await rows<{ actor_username: string; entity_type: string; entity_id: string; after: unknown; ip: string }>(
      sql`SELECT actor_username, entity_type, entity_id, after, ip FROM audit_log WHERE action = 'auth.throttle_clear' AND entity_id = ${String(user!.id)}`,
    );
    expect(audit).toEqual({ actor_username: 'admin', entity_type: 'user', entity_id: String(user!.id), after: { username: name, network: null }, ip: '198.51.100.20' });
    expect((await api('POST', '/api/admin/sign-in-throttles/clear', { as: 'admin', body: {} })).status).toBe(400);
  });

  it('pages through many entries with a cursor, and clears a whole network', async () => {
    const net = network();
    const names = [await makeUser(), await makeUser(), await makeUser()];
    for (const name of names) expect((await failUntilRefused(name, net())).at(-1)).toBe(429);
    const seenNames: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ username: string | null }>; nextCursor: string | null } } = await api(
        'GET',
        `/api/admin/sign-in-throttles?network=${net()}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { as: 'admin' },
      );
      seenNames.push(...page.body.items.map((i) => i.username ?? '(network)'));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seenNames.sort()).toEqual([...names].sort());
    expect((await api('GET', '/api/admin/sign-in-throttles?cursor=bm9wZQ', { as: 'admin' })).status).toBe(400);
    const cleared = await api('POST', '/api/admin/sign-in-throttles/clear', { as: 'admin', body: { network: net() } });
    expect(cleared.body.cleared).toBe(3);
    for (const name of names) expect((await signIn(name, RIGHT, net())).status).toBe(200);
  });
});
