// The isolate's copy of the revocation list (src/durable/auth/revocation.ts): no caller ever awaits a read
// that another request or object started (a promise of another Durable Object's context resumed the waiting
// object in that context, and workerd refused its storage calls). The SessionRevocations stub is faked here:
// each list() call is a deferred the test settles.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

interface Deferred {
  resolve(list: { sessions: string[]; users: { userId: number; cutoff: number }[] }): void;
  reject(err: Error): void;
}

const reads: Deferred[] = [];

vi.mock('../../../src/durable/stubs', () => ({
  revocationsFor: () => ({
    list: () =>
      new Promise((resolve, reject) => {
        reads.push({ resolve, reject });
      }),
  }),
}));

const env = { DATABASE_URL: 'postgres://localhost/x', SESSION_SECRET: 'x'.repeat(32), REVOCATION_REFRESH_SECONDS: '30' } as never;
const session = (sid: string, id = 1, iat = 1_000) => ({ sid, id, iat });
const empty = { sessions: [], users: [] };

async function freshModule() {
  vi.resetModules();
  return import('../../../src/durable/auth/revocation');
}

/** Lets pending promise callbacks run (the module's own awaits). */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('revocation copy shared by the objects of one isolate', () => {
  beforeEach(() => {
    reads.length = 0;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('with no copy yet, each caller reads for itself instead of awaiting another caller’s read', async () => {
    const { isRevoked } = await freshModule();
    const first = isRevoked(env, session('a'));
    const second = isRevoked(env, session('b'));
    await settle();
    expect(reads).toHaveLength(2);
    reads[1]!.resolve({ sessions: ['b'], users: [] });
    await expect(second).resolves.toBe(true); // answered while the first read is still on its way
    reads[0]!.resolve(empty);
    await expect(first).resolves.toBe(false);
  });

  it('while a read is on its way, a stale copy answers at once (no waiting on that read)', async () => {
    const { isRevoked } = await freshModule();
    const load = isRevoked(env, session('a'));
    await settle();
    reads[0]!.resolve({ sessions: ['old'], users: [] });
    await load;
    vi.setSystemTime(1_000_000 + 31_000); // the copy is older than REVOCATION_REFRESH_SECONDS
    const refreshing = isRevoked(env, session('x')); // starts the refresh
    await settle();
    expect(reads).toHaveLength(2);
    let answered: boolean | undefined;
    void isRevoked(env, session('old')).then((v) => (answered = v));
    await settle();
    expect(reads).toHaveLength(2); // no third read: the one on its way is enough
    expect(answered).toBe(true); // from the copy, before the refresh answered
    reads[1]!.resolve({ sessions: ['x'], users: [] });
    await expect(refreshing).resolves.toBe(true);
  });

  it('a read stuck for more than a few seconds no longer holds others back', async () => {
    const { isRevoked } = await freshModule();
    const load = isRevoked(env, session('a'));
    await settle();
    reads[0]!.resolve(empty);
    await load;
    vi.setSystemTime(1_000_000 + 31_000);
    void isRevoked(env, session('a')).catch(() => undefined); // a read that never answers
    await settle();
    vi.setSystemTime(1_000_000 + 37_000);
    const own = isRevoked(env, session('z'));
    await settle();
    expect(reads).toHaveLength(3);
    reads[2]!.resolve({ sessions: ['z'], users: [] });
    await expect(own).resolves.toBe(true);
  });

  it('a read that started earlier but answered later does not put an older list back', async () => {
    const { isRevoked, isRevokedCached } = await freshModule();
    const older = isRevoked(env, session('a'));
    await settle();
    vi.setSystemTime(1_000_500);
    const newer = isRevoked(env, session('a'));
    await settle();
    reads[1]!.resolve({ sessions: ['revoked-later'], users: [] });
    await newer;
    reads[0]!.resolve(empty);
    await older;
    expect(isRevokedCached(env, session('revoked-later'))).toBe(true);
  });
});
