import { describe, expect, it } from 'vitest';
import { api } from './helpers';

describe('health', () => {
  it('answers /health without auth or I/O', async () => {
    const res = await api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('keeps /health/detailed for admins and reports the database and backlog', async () => {
    expect((await api('GET', '/health/detailed')).status).toBe(401);
    expect((await api('GET', '/health/detailed', { as: 'dispatcher' })).status).toBe(403);
    const res = await api('GET', '/health/detailed', { as: 'admin' });
    expect(res.status).toBe(200);
    expect(res.body.db.ok).toBe(true);
    expect(typeof res.body.db.latencyMs).toBe('number');
    expect(res.body.flushBacklog).toBe(0);
    expect(res.body.status).toBe('ok');
  });
});
