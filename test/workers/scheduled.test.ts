import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { expect, it } from 'vitest';
import worker from '../../src/worker/index';
import { rows, sql } from './db';

it('the daily cron anonymises audit rows past AUDIT_RETENTION_DAYS', async () => {
  const marker = `cron-${Date.now()}`;
  await rows(sql`INSERT INTO audit_log (at, action, entity_type, actor_username, ip, user_agent, request_id)
    VALUES (now() - interval '400 days', 'auth.login_failed', 'user', 'someone@example.com', '198.51.100.1', 'UA', ${marker}),
           (now() - interval '1 day', 'auth.login_failed', 'user', 'fresh@example.com', '198.51.100.2', 'UA', ${marker})`);
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ cron: '17 3 * * *', scheduledTime: Date.now() }), env, ctx);
  await waitOnExecutionContext(ctx);
  const after = await rows<{ actor_username: string; ip: string | null }>(sql`SELECT actor_username, ip FROM audit_log WHERE request_id = ${marker} ORDER BY at`);
  expect(after).toEqual([
    { actor_username: '[removed]', ip: null },
    { actor_username: 'fresh@example.com', ip: '198.51.100.2' },
  ]);
});
