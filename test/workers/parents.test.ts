import { describe, expect, it } from 'vitest';
import { api, uniqueChild, uniqueParent } from './helpers';

async function openParent(as = 'dispatcher', qr = uniqueParent()) {
  const res = await api('POST', `/api/parents/${qr}/open`, { as });
  expect(res.status).toBe(200);
  return qr;
}

function scan(parent: string, child: string, as = 'dispatcher', scanId?: string) {
  return api('POST', `/api/parents/${parent}/children`, { as, body: scanId ? { qr: child, scanId } : { qr: child } });
}

describe('opening a parent', () => {
  it('creates it on first open, normalizes the QR and answers the same state again', async () => {
    const qr = uniqueParent();
    const first = await api('POST', `/api/parents/%20${qr.toLowerCase()}%20/open`, { as: 'dispatcher' });
    expect(first.status).toBe(200);
    expect(first.body.parent).toMatchObject({ qr, status: 'open', childCount: 0, capacity: 30, children: [] });
    expect(typeof first.body.parent.areaId).toBe('number');
    const again = await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher' });
    expect(again.body.parent).toEqual(first.body.parent);
    const got = await api('GET', `/api/parents/${qr}`, { as: 'dispatcher' });
    expect(got.body.parent).toEqual(first.body.parent);
  });

  it('rejects a malformed QR with the expected format', async () => {
    const res = await api('POST', '/api/parents/XX12/open', { as: 'dispatcher' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_QR');
    expect(res.body.error.message).toContain('SB followed by 5 digits');
  });

  it('answers QR_ROLE_CONFLICT for a known child bag', async () => {
    const parent = await openParent();
    const child = uniqueChild();
    expect((await scan(parent, child)).status).toBe(200);
    const res = await api('POST', `/api/parents/${child}/open`, { as: 'dispatcher' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('QR_ROLE_CONFLICT');
  });

  it("forbids another area's parent to dispatchers but not to admins", async () => {
    const qr = await openParent('dispatcher'); // Lucknow
    const other = await api('POST', `/api/parents/${qr}/open`, { as: 'dispatcher2' }); // Indore
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('AREA_FORBIDDEN');
    expect((await scan(qr, uniqueChild(), 'dispatcher2')).body.error.code).toBe('AREA_FORBIDDEN');
    // The refusal names no area.
    expect(other.body.error).toEqual({ code: 'AREA_FORBIDDEN', message: `Parent ${qr} belongs to another dispatch area.` });
    expect((await api('GET', `/api/parents/${qr}`, { as: 'admin' })).status).toBe(200);
  });

  it("reads another area's parent exactly like a parent never opened (GET and the socket)", async () => {
    const qr = await openParent('dispatcher'); // Lucknow
    const never = uniqueParent();
    const hidden = await api('GET', `/api/parents/${qr}`, { as: 'dispatcher2' }); // Indore
    const missing = await api('GET', `/api/parents/${never}`, { as: 'dispatcher2' });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    const { SELF } = await import('cloudflare:test');
    const { BASE, tokenFor } = await import('./helpers');
    const upgrade = async (parent: string) => {
      const res = await SELF.fetch(`${BASE}/api/parents/${parent}/ws`, { headers: { Upgrade: 'websocket', authorization: `Bearer ${await tokenFor('dispatcher2')}` } });
      return { status: res.status, body: await res.json() };
    };
    expect(await upgrade(qr)).toEqual(await upgrade(never));
    expect((await upgrade(qr)).status).toBe(404);
  });

  it('needs an area for admins opening a new parent, and takes one from the body', async () => {
    const qr = uniqueParent();
    const missing = await api('POST', `/api/parents/${qr}/open`, { as: 'admin' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('INVALID_INPUT');
    const ok = await api('POST', `/api/parents/${qr}/open`, { as: 'admin', body: { areaId: 2 } });
    expect(ok.status).toBe(200);
    expect(ok.body.parent.areaId).toBe(2);
  });

  it('answers NOT_FOUND for a parent never opened, and 401/403 for the wrong caller', async () => {
    expect((await api('GET', `/api/parents/${uniqueParent()}`, { as: 'dispatcher' })).body.error.code).toBe('NOT_FOUND');
    expect((await api('POST', `/api/parents/${uniqueParent()}/open`)).status).toBe(401);
    expect((await api('POST', `/api/parents/${uniqueParent()}/open`, { as: 'biller' })).status).toBe(403);
  });
});

describe('scanning children', () => {
  it('links, then reports a repeat as duplicate without counting it twice', async () => {
    const parent = await openParent();
    const child = uniqueChild();
    const linked = await scan(parent, ` ${child.toLowerCase()} `);
    expect(linked.status).toBe(200);
    expect(linked.body).toEqual({ result: 'linked', childQr: child, childCount: 1, capacity: 30, status: 'open' });
    const dup = await scan(parent, child);
    expect(dup.status).toBe(200);
    expect(dup.body).toMatchObject({ result: 'duplicate', childQr: child, childCount: 1 });
    const state = await api('GET', `/api/parents/${parent}`, { as: 'dispatcher' });
    expect(state.body.parent.children).toEqual([{ qr: child, linkedAt: expect.any(String), by: 'dispatcher' }]);
  });

  it('rejects a child that sits in another parent, naming that parent', async () => {
    const a = await openParent();
    const b = await openParent();
    const child = uniqueChild();
    await scan(a, child);
    const res = await scan(b, child);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CHILD_IN_OTHER_PARENT', parentQr: a });
    expect(res.body.error.message).toContain(a);
  });

  it('rejects parent labels and malformed QRs as children, and unknown parents', async () => {
    const parent = await openParent();
    const role = await scan(parent, 'SB12345');
    expect(role.status).toBe(409);
    expect(role.body.error.code).toBe('QR_ROLE_CONFLICT');
    for (const bad of ['AB', 'HAS SPACE', 'x'.repeat(21), '<script>']) {
      const res = await scan(parent, bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_QR');
    }
    const unknown = await scan(uniqueParent(), uniqueChild());
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('refuses a parent-looking label with the wrong number of digits as a child, and never links it', async () => {
    const parent = await openParent();
    for (const lookalike of ['SB001234', 'SB1234', 'sb0012345']) {
      const res = await scan(parent, lookalike);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_QR');
      // Over the socket path's twin too: the answer is stored per scanId, and a repeat is the same refusal.
      const again = await scan(parent, lookalike, 'dispatcher', `lookalike-${lookalike}`);
      expect(again.body.error.code).toBe('INVALID_QR');
    }
    const state = await api('GET', `/api/parents/${parent}`, { as: 'dispatcher' });
    expect(state.body.parent.childCount).toBe(0);
    // Nor does it become a parent: opening it is refused as not in the parent format.
    expect((await api('POST', '/api/parents/SB001234/open', { as: 'dispatcher' })).body.error.code).toBe('INVALID_QR');
  });

  it('a parent that is a known parent cannot be scanned as a child of another', async () => {
    const a = await openParent();
    const b = await openParent();
    const res = await scan(a, b);
    expect(res.body.error.code).toBe('QR_ROLE_CONFLICT');
  });

  it('completes at capacity and then refuses more with PARENT_FULL', async () => {
    const parent = await openParent();
    let last;
    for (let i = 0; i < 30; i++) last = await scan(parent, uniqueChild());
    expect(last!.body).toMatchObject({ result: 'linked', childCount: 30, status: 'completed' });
    const more = await scan(parent, uniqueChild());
    expect(more.status).toBe(409);
    expect(more.body.error.code).toBe('PARENT_FULL');
  });

  it('refuses new children on a parent completed below capacity', async () => {
    const parent = await openParent();
    await scan(parent, uniqueChild());
    const denied = await api('POST', `/api/parents/${parent}/complete`, { as: 'dispatcher' });
    expect(denied.status).toBe(403);
    const done = await api('POST', `/api/parents/${parent}/complete`, { as: 'supervisor' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    const more = await scan(parent, uniqueChild());
    expect(more.body.error.code).toBe('PARENT_COMPLETED');
  });

  it('returns the first answer for a repeated scanId and changes nothing again', async () => {
    const parent = await openParent();
    const child = uniqueChild();
    const first = await scan(parent, child, 'dispatcher', 'scan-id-1');
    const repeat = await scan(parent, child, 'dispatcher', 'scan-id-1');
    expect(repeat.body).toEqual(first.body);
    expect(repeat.body.result).toBe('linked');
    // Even a different body under the same scanId returns the first answer.
    const other = await scan(parent, uniqueChild(), 'dispatcher', 'scan-id-1');
    expect(other.body).toEqual(first.body);
    expect((await api('GET', `/api/parents/${parent}`, { as: 'dispatcher' })).body.parent.childCount).toBe(1);
  });

  it('lets exactly one of two parents win a child scanned into both at once', async () => {
    const parents = await Promise.all([openParent(), openParent(), openParent(), openParent()]);
    for (let round = 0; round < 5; round++) {
      const child = uniqueChild('R');
      const results = await Promise.all(parents.map((p) => scan(p, child)));
      const winners = results.filter((r) => r.status === 200 && r.body.result === 'linked');
      const losers = results.filter((r) => r.status === 409 && r.body.error.code === 'CHILD_IN_OTHER_PARENT');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(parents.length - 1);
    }
  });

  it('never over-fills a parent under concurrent scans', async () => {
    const parent = await openParent();
    const results = await Promise.all(Array.from({ length: 40 }, () => scan(parent, uniqueChild())));
    expect(results.filter((r) => r.status === 200)).toHaveLength(30);
    expect(results.filter((r) => r.status === 409).every((r) => ['PARENT_FULL', 'PARENT_COMPLETED'].includes(r.body.error.code))).toBe(true);
    const state = await api('GET', `/api/parents/${parent}`, { as: 'dispatcher' });
    expect(state.body.parent.childCount).toBe(30);
  });
});

describe('undo and unlink', () => {
  it("undoes the caller's last scan and frees the child for another parent", async () => {
    const a = await openParent();
    const b = await openParent();
    const first = uniqueChild();
    const second = uniqueChild();
    await scan(a, first);
    await scan(a, second);
    const undo = await api('POST', `/api/parents/${a}/undo`, { as: 'dispatcher' });
    expect(undo.status).toBe(200);
    expect(undo.body).toMatchObject({ removed: second, childCount: 1 });
    expect((await scan(b, second)).body.result).toBe('linked');
    const nothing = await api('POST', `/api/parents/${uniqueParent()}/undo`, { as: 'dispatcher' });
    expect(nothing.body.error.code).toBe('NOT_FOUND');
  });

  it('answers NOTHING_TO_UNDO when the caller has no scan here', async () => {
    const a = await openParent();
    await scan(a, uniqueChild(), 'dispatcher');
    const res = await api('POST', `/api/parents/${a}/undo`, { as: 'supervisor' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOTHING_TO_UNDO');
  });

  it('lets supervisors unlink any child, reopening a completed parent; dispatchers may not', async () => {
    const a = await openParent();
    const child = uniqueChild();
    await scan(a, child);
    await api('POST', `/api/parents/${a}/complete`, { as: 'supervisor' });
    expect((await api('DELETE', `/api/parents/${a}/children/${child}`, { as: 'dispatcher' })).status).toBe(403);
    const res = await api('DELETE', `/api/parents/${a}/children/${child.toLowerCase()}`, { as: 'supervisor' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ childCount: 0, status: 'open' });
    const missing = await api('DELETE', `/api/parents/${a}/children/${child}`, { as: 'supervisor' });
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});

describe('bad input', () => {
  it('answers 400 JSON for malformed JSON, wrong types and unknown fields', async () => {
    const parent = await openParent();
    const cases = [
      { rawBody: '{"qr":' },
      { rawBody: 'not json' },
      { body: { qr: 42 } },
      { body: { qr: 'ABCD1234', extra: true } },
      { body: { qr: 'ABCD1234', scanId: '' } },
      { body: { qr: 'ABCD1234', scanId: 'x'.repeat(65) } },
      { body: [] },
      { body: null },
    ];
    for (const c of cases) {
      const res = await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', ...c });
      expect(res.status, JSON.stringify(c)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
      expect(typeof res.body.error.message).toBe('string');
    }
  });

  it('refuses oversize bodies with 413 before reading them', async () => {
    const parent = await openParent();
    const res = await api('POST', `/api/parents/${parent}/children`, { as: 'dispatcher', rawBody: JSON.stringify({ qr: 'A'.repeat(20_000) }) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 401 for missing, forged and garbage tokens', async () => {
    const qr = uniqueParent();
    for (const authorization of ['Bearer nope', 'Bearer a.b', 'Bearer ' + 'x'.repeat(3000), 'Basic abc']) {
      const res = await api('POST', `/api/parents/${qr}/open`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers JSON 404 for unknown API routes', async () => {
    const res = await api('GET', '/api/nothing-here', { as: 'admin' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('stale registry claims', () => {
  it('moves a child claimed by a parent that never linked it (died mid-scan) to the parent scanning it now', async () => {
    const { env } = await import('cloudflare:test');
    const { registryFor } = await import('../../src/durable/stubs');
    const stale = await openParent();
    const child = uniqueChild('S');
    // What a crash between the registry claim and the local commit leaves behind.
    const claimed = await registryFor(env, child).claimChild(child, stale);
    expect(claimed.ok).toBe(true);
    const next = await openParent();
    const res = await scan(next, child);
    expect(res.status).toBe(200);
    expect(res.body.result).toBe('linked');
    expect((await registryFor(env, child).lookup(child))?.parentQr).toBe(next);
  });
});
