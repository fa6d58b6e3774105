// Per-user language kept on the server (users.locale): GET /api/auth/me returns it, PATCH /api/auth/me sets
// it (validated, audited), sign-in returns it, so the UI uses it on any device. And GET /api/conflicts, the
// supervisors' view of flush conflicts (own area) and the admins' (all).
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/worker/auth/password';
import { api } from './helpers';
import { rows, sql } from './db';

const PASSWORD = 'locale-password-123';
let n = 0;

async function makeUser(role = 'dispatcher') {
  const username = `loc${Date.now().toString(36)}${++n}`;
  const [area] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = 'Lucknow'`);
  const [u] = await rows<{ id: number }>(sql`INSERT INTO users (username, password_hash, role, area_id)
    VALUES (${username}, ${await hashPassword(PASSWORD)}, ${role}, ${area!.id}) RETURNING id`);
  const ip = { 'cf-connecting-ip': `10.77.${n % 250}.${(Date.now() % 250) + 1}` };
  const signedIn = await api('POST', '/api/auth/token', { body: { username, password: PASSWORD }, headers: ip });
  expect(signedIn.status).toBe(200);
  return { id: Number(u!.id), username, ip, headers: { authorization: `Bearer ${signedIn.body.token as string}`, ...ip } };
}

const localeAudits = async (id: number) =>
  rows<{ before: { locale: string | null }; after: { locale: string | null }; actor_username: string }>(
    sql`SELECT before, after, actor_username FROM audit_log WHERE action = 'user.locale' AND entity_type = 'user' AND entity_id = ${String(id)} ORDER BY id`,
  );

describe('per-user language on the server', () => {
  it('is null until chosen, then returned by /me and by every later sign-in, on any device', async () => {
    const me = await makeUser();
    const first = await api('GET', '/api/auth/me', { headers: me.headers });
    expect(first.status).toBe(200);
    expect(first.body.locale).toBeNull();

    const set = await api('PATCH', '/api/auth/me', { headers: me.headers, body: { locale: 'hi' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ locale: 'hi', user: { id: me.id, username: me.username } });
    expect((await api('GET', '/api/auth/me', { headers: me.headers })).body.locale).toBe('hi');

    // A new browser elsewhere: the cookie sign-in answers the language at once, and /me with the new session too.
    const login = await api('POST', '/api/auth/login', { body: { username: me.username, password: PASSWORD }, headers: me.ip });
    expect(login.status).toBe(200);
    expect(login.body.locale).toBe('hi');
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await api('GET', '/api/auth/me', { headers: { cookie } })).body.locale).toBe('hi');

    // Back to "the browser's language".
    expect((await api('PATCH', '/api/auth/me', { headers: me.headers, body: { locale: null } })).body.locale).toBeNull();
    expect((await api('GET', '/api/auth/me', { headers: me.headers })).body.locale).toBeNull();
  });

  it("carries the language in a cookie session's token: /me reads no database for it, a change re-issues the cookie", async () => {
    const me = await makeUser();
    const login = await api('POST', '/api/auth/login', { body: { username: me.username, password: PASSWORD }, headers: me.ip });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    // Changed behind the session's back (another device's session, say): the cookie session answers what its
    // token carries, so its /me did not read the database; a bearer token (carries none) reads it.
    await rows(sql`UPDATE users SET locale = 'hi' WHERE id = ${me.id}`);
    expect((await api('GET', '/api/auth/me', { headers: { cookie } })).body.locale).toBeNull();
    expect((await api('GET', '/api/auth/me', { headers: me.headers })).body.locale).toBe('hi');

    const set = await api('PATCH', '/api/auth/me', { headers: { cookie }, body: { locale: 'en' } });
    expect(set.status).toBe(200);
    const next = set.headers.get('set-cookie')!.split(';')[0]!;
    expect(next).not.toBe(cookie);
    expect((await api('GET', '/api/auth/me', { headers: { cookie: next } })).body).toMatchObject({ locale: 'en', user: { id: me.id } });
    // Only one re-issued cookie, with the new language (the idle refresh did not add the old one back).
    expect(set.headers.getSetCookie?.().length ?? 1).toBe(1);
    // Same session (the old cookie is not ended, only superseded), and a bearer token gets no cookie.
    expect((await api('GET', '/api/auth/me', { headers: { cookie } })).status).toBe(200);
    const bearer = await api('PATCH', '/api/auth/me', { headers: me.headers, body: { locale: 'hi' } });
    expect(bearer.headers.get('set-cookie')).toBeNull();
    expect((await api('GET', '/api/auth/me', { headers: me.headers })).body.locale).toBe('hi');
  });

  it('audits each change with before and after; setting the same language again writes nothing', async () => {
    const me = await makeUser('supervisor');
    await api('PATCH', '/api/auth/me', { headers: me.headers, body: { locale: 'hi' } });
    await api('PATCH', '/api/auth/me', { headers: me.headers, body: { locale: 'hi' } });
    await api('PATCH', '/api/auth/me', { headers: me.headers, body: { locale: 'en' } });
    const audits = await localeAudits(me.id);
    expect(audits.map((a) => [a.before.locale, a.after.locale])).toEqual([
      [null, 'hi'],
      ['hi', 'en'],
    ]);
    expect(audits.every((a) => a.actor_username === me.username)).toBe(true);
  });

  it('validates the body: only locale, only en, hi or null', async () => {
    const me = await makeUser();
    for (const body of [{}, { locale: 'fr' }, { locale: 'HI' }, { locale: 1 }, { locale: 'en', role: 'admin' }]) {
      const res = await api('PATCH', '/api/auth/me', { headers: me.headers, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    const bad = await api('PATCH', '/api/auth/me', { headers: me.headers, body: { locale: 'fr' } });
    expect(bad.body.error.message).toMatch(/locale/);
    expect((await api('GET', '/api/auth/me', { headers: me.headers })).body.locale).toBeNull();
    expect(await localeAudits(me.id)).toEqual([]);
  });

  it('needs a session, and a deactivated user cannot set it', async () => {
    expect((await api('PATCH', '/api/auth/me', { body: { locale: 'hi' } })).status).toBe(401);
    const me = await makeUser();
    await rows(sql`UPDATE users SET active = false WHERE id = ${me.id}`);
    const res = await api('PATCH', '/api/auth/me', { headers: me.headers, body: { locale: 'hi' } });
    expect(res.status).toBe(401);
    expect((await rows<{ locale: string | null }>(sql`SELECT locale FROM users WHERE id = ${me.id}`))[0]!.locale).toBeNull();
  });
});

describe('GET /api/conflicts (the supervisors\u2019 view of flush conflicts)', () => {
  it('lists open conflicts newest first: supervisors their own area only, admins every area', async () => {
    const tag = `C${Date.now().toString(36).toUpperCase()}`;
    const [lucknow] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = 'Lucknow'`);
    const [indore] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = 'Indore'`);
    const parents = { lucknow: `SB9${String(Date.now() % 10000).padStart(4, '0')}`, indore: `SB8${String(Date.now() % 10000).padStart(4, '0')}` };
    await rows(sql`INSERT INTO bags (qr, type, area_id, status, created_at, updated_at) VALUES
      (${parents.lucknow}, 'parent', ${lucknow!.id}, 'open', now(), now()), (${parents.indore}, 'parent', ${indore!.id}, 'open', now(), now())
      ON CONFLICT (qr) DO UPDATE SET area_id = EXCLUDED.area_id, type = 'parent'`);
    await rows(sql`INSERT INTO flush_conflicts (event_id, kind, child_qr, parent_qr, detail, refused_hash) VALUES
      (${`${tag}-1`}, 'event_id_reused', ${`${tag}K1`}, ${parents.lucknow}, '{"table":"link_events"}'::jsonb, 'h1'),
      (${`${tag}-2`}, 'event_id_reused', ${`${tag}K2`}, ${parents.indore}, '{"table":"link_events"}'::jsonb, 'h2'),
      (${`${tag}-3`}, 'child_in_other_parent', ${`${tag}K3`}, ${parents.lucknow}, NULL, '')`);
    await rows(sql`INSERT INTO flush_conflicts (event_id, kind, child_qr, parent_qr, refused_hash, resolved_at) VALUES
      (${`${tag}-4`}, 'event_id_reused', ${`${tag}K4`}, ${parents.lucknow}, 'h4', now())`);
    const mine = (items: Array<{ eventId: string }>) => items.map((i) => i.eventId).filter((id) => id.startsWith(tag));

    const sup = await api('GET', '/api/conflicts?limit=200', { as: 'supervisor' });
    expect(sup.status).toBe(200);
    expect(mine(sup.body.items)).toEqual([`${tag}-3`, `${tag}-1`]);
    expect(sup.body.items.every((i: { areaId: number }) => i.areaId === lucknow!.id)).toBe(true);
    const reused = sup.body.items.find((i: { eventId: string }) => i.eventId === `${tag}-1`);
    expect(reused).toMatchObject({ kind: 'event_id_reused', parentQr: parents.lucknow, childQr: `${tag}K1`, detail: { table: 'link_events' }, resolvedAt: null });

    const supKind = await api('GET', '/api/conflicts?kind=event_id_reused&limit=200', { as: 'supervisor' });
    expect(mine(supKind.body.items)).toEqual([`${tag}-1`]);
    expect((await api('GET', `/api/conflicts?areaId=${indore!.id}`, { as: 'supervisor' })).status).toBe(403);

    const admin = await api('GET', '/api/conflicts?limit=200', { as: 'admin' });
    expect(mine(admin.body.items)).toEqual([`${tag}-3`, `${tag}-2`, `${tag}-1`]);
    const adminIndore = await api('GET', `/api/conflicts?areaId=${indore!.id}&limit=200`, { as: 'admin' });
    expect(mine(adminIndore.body.items)).toEqual([`${tag}-2`]);
    const withResolved = await api('GET', '/api/conflicts?resolved=true&limit=200', { as: 'admin' });
    expect(mine(withResolved.body.items)).toEqual([`${tag}-4`, `${tag}-3`, `${tag}-2`, `${tag}-1`]);

    // Keyset pages: one at a time, nothing skipped or repeated.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ eventId: string }>; nextCursor: string | null } } = await api('GET', `/api/conflicts?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { as: 'admin' });
      expect(page.status).toBe(200);
      seen.push(...mine(page.body.items));
      cursor = page.body.nextCursor;
    } while (cursor && seen.length < 3);
    expect(seen).toEqual([`${tag}-3`, `${tag}-2`, `${tag}-1`]);

    for (const bad of ['kind=other', 'resolved=maybe', 'areaId=x', 'cursor=%24%24', 'what=1']) {
      expect((await api('GET', `/api/conflicts?${bad}`, { as: 'admin' })).status, bad).toBe(400);
    }
    expect((await api('GET', '/api/conflicts', { as: 'dispatcher' })).status).toBe(403);
    expect((await api('GET', '/api/conflicts', { as: 'biller' })).status).toBe(403);
  });
});
