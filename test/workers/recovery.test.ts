import { describe, expect, it } from 'vitest';
import { count, rows, sql, waitFor } from './db';
import { api, uniqueChild, uniqueParent } from './helpers';

async function rebuildRegistry(): Promise<number> {
  let cursor: string | null = null;
  let total = 0;
  do {
    const res: { status: number; body: { imported: number; nextCursor: string | null } } = await api('POST', '/api/admin/registry/rebuild', {
      as: 'admin',
      body: { cursor, limit: 50 },
    });
    expect(res.status).toBe(200);
    total += res.body.imported;
    cursor = res.body.nextCursor;
  } while (cursor);
  return total;
}

describe('re-deriving state from Postgres', () => {
  it('rebuilds the registry and rehydrates a parent that only Postgres knows', async () => {
    const parent = uniqueParent();
    const kids = [uniqueChild('L'), uniqueChild('L')];
    const [area] = await rows<{ id: number }>(sql`SELECT id FROM areas WHERE name = 'Lucknow'`);
    await rows(sql`INSERT INTO bags (qr, type, area_id, status, child_count, created_at, updated_at, version)
      VALUES (${parent}, 'parent', ${area!.id}, 'open', 2, now(), now(), 7)`);
    for (const [i, kid] of kids.entries()) {
      await rows(sql`INSERT INTO bags (qr, type, area_id, status, created_at, updated_at) VALUES (${kid}, 'child', ${area!.id}, 'linked', now(), now())`);
      await rows(sql`INSERT INTO links (child_qr, parent_qr, linked_at, event_id) VALUES (${kid}, ${parent}, now() + ${`${i} seconds`}::interval, ${'import-' + kid})`);
    }

    expect(await rebuildRegistry()).toBeGreaterThanOrEqual(3);

    // A read alone re-derives the parent too (its object has no state): after a restore it answers as before
    // instead of "never opened" (npm run dr:drill found that gap). A parent nobody opened stays a 404.
    const read = await api('GET', `/api/parents/${parent}`, { as: 'dispatcher' });
    expect(read.status).toBe(200);
    expect(read.body.parent.children.map((c: { qr: string }) => c.qr)).toEqual(kids);
    expect(read.body.parent).toMatchObject({ qr: parent, childCount: 2, status: 'open' });
    expect((await api('GET', `/api/parents/${uniqueParent()}`, { as: 'dispatcher' })).status).toBe(404);

    // The registry now keeps the imported children in their parent…
    const other = uniqueParent();
    await api('POST', `/api/parents/${other}/open`, { as: 'dispatcher' });
    const moved = await api('POST', `/api/parents/${other}/children`, { as: 'dispatcher', body: { qr: kids[0] } });
    expect(moved.body.error).toMatchObject({ code: 'CHILD_IN_OTHER_PARENT', parentQr: parent });
    // …and knows the parent QR as a parent.
    const asChild = await api('POST', `/api/parents/${other}/children`, { as: 'dispatcher', body: { qr: parent } });
    expect(asChild.body.error.code).toBe('QR_ROLE_CONFLICT');

    // Opening the parent loads its children from Postgres and carries on from there.
    const opened = await api('POST', `/api/parents/${parent}/open`, { as: 'dispatcher' });
    expect(opened.status).toBe(200);
    expect(opened.body.parent.children.map((c: { qr: string }) => c.qr)).toEqual(kids);
    expect(opened.body.parent.childCount).toBe(2);
    const third = uniqueChild('L');
    const scanned = await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', body: { qr: third } });
    expect(scanned.body).toMatchObject({ result: 'linked', childCount: 3 });
    await waitFor(() => count(sql`SELECT count(*) AS n FROM links WHERE parent_qr = ${parent}`), (n) => n === 3);
    const [bag] = await rows<{ child_count: number }>(sql`SELECT child_count FROM bags WHERE qr = ${parent}`);
    expect(bag!.child_count).toBe(3);
  });

  it('keeps the rebuild for admins and validates its body', async () => {
    expect((await api('POST', '/api/admin/registry/rebuild', { as: 'supervisor', body: {} })).status).toBe(403);
    const bad = await api('POST', '/api/admin/registry/rebuild', { as: 'admin', body: { limit: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
    // Pages of up to 10,000 QRs (what registry:rebuild and the drill ask for), not more.
    expect((await api('POST', '/api/admin/registry/rebuild', { as: 'admin', body: { limit: 10_001 } })).status).toBe(400);
    const page = await api('POST', '/api/admin/registry/rebuild', { as: 'admin', body: { limit: 10_000 } });
    expect(page.status).toBe(200);
    expect(page.body.imported).toBeGreaterThan(0);
  });
});
