// The UI shows times in the deployment's zone: it learns it from the sign-in answers (/api/auth/me, /login),
// so a deployment set to another TIME_ZONE is not shown in IST on the scanner.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatClock, setTimeZone, timeZone, zoneLabel } from '../../../src/ui/format';
import { currentUser, loadSession, startSession } from '../../../src/ui/state/session';

const user = { id: 1, username: 'dispatcher', role: 'dispatcher', areaId: 1 } as const;

afterEach(() => {
  vi.unstubAllGlobals();
  setTimeZone('Asia/Kolkata');
});

describe('the session carries the deployment time zone', () => {
  it('loadSession applies the zone /api/auth/me answers', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ user, timeZone: 'Europe/London' }), { status: 200 })));
    await loadSession();
    expect(currentUser.value).toEqual(user);
    expect(timeZone()).toBe('Europe/London');
    // 14:05:09 UTC in November is 14:05:09 in London (GMT), not 19:35:09 as in India.
    expect(formatClock('2026-11-24T14:05:09.000Z')).toBe('14:05:09');
    expect(zoneLabel(new Date('2026-11-24T14:05:09.000Z'))).toMatch(/GMT|UTC/);
  });

  it('keeps the previous zone when an answer has none or an unknown one', () => {
    startSession({ user, timeZone: 'America/Chicago' });
    startSession({ user });
    expect(timeZone()).toBe('America/Chicago');
    startSession({ user, timeZone: 'Not/AZone' });
    expect(timeZone()).toBe('America/Chicago');
  });
});
