import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { anonymiseAuditBatch, anonymiseExpiredAudit } from '../../../src/db/audit-retention';
import { queryRows, type Db } from '../../../src/db/client';
import { describeMatrix } from '../../support/matrix';

async function insertAudit(db: Db, daysAgo: number, username: string, after: unknown): Promise<void> {
  await db.execute(sql`INSERT INTO audit_log (at, actor_id, actor_username, action, entity_type, entity_id, after, ip, user_agent, request_id)
    VALUES (now() - make_interval(days => ${daysAgo}::int), 1, ${username}, 'auth.login_failed', 'user', '1', ${JSON.stringify(after)}::jsonb, '203.0.113.9', 'Mozilla/5.0', 'req-1')`);
}

async function all(db: Db) {
  return queryRows<{ actor_username: string; after: any; ip: string | null; user_agent: string | null; request_id: string; anonymised: boolean }>(
    db,
    sql`SELECT actor_username, after, ip, user_agent, request_id, anonymised_at IS NOT NULL AS anonymised FROM audit_log ORDER BY id`,
  );
}

describeMatrix('audit retention', (ctx) => {
  test('strips IP, user agent and e-mail-like strings from rows past retention only, once', async () => {
    const { db } = ctx();
    await insertAudit(db, 400, 'ravi.k@example.com', { username: 'ravi.k@example.com', reason: 'wrong_password', note: 'x "quoted" y' });
    await insertAudit(db, 366, 'meena', { username: 'meena' });
    await insertAudit(db, 10, 'new.person@example.org', { username: 'new.person@example.org' });
    expect(await anonymiseExpiredAudit(db, 365)).toBe(2);
    const [old, plain, recent] = await all(db);
    expect(old).toMatchObject({ actor_username: '[removed]', ip: null, user_agent: null, request_id: 'req-1', anonymised: true });
    expect(old!.after).toEqual({ username: '[removed]', reason: 'wrong_password', note: 'x "quoted" y' });
    expect(plain).toMatchObject({ actor_username: 'meena', ip: null, user_agent: null, anonymised: true });
    expect(recent).toMatchObject({ actor_username: 'new.person@example.org', ip: '203.0.113.9', user_agent: 'Mozilla/5.0', anonymised: false });
    expect(await anonymiseExpiredAudit(db, 365)).toBe(0);
  });

  test('works in batches', async () => {
    const { db } = ctx();
    for (let i = 0; i < 5; i++) await insertAudit(db, 500, `u${i}`, null);
    expect(await anonymiseAuditBatch(db, 365, 2)).toBe(2);
    expect(await anonymiseAuditBatch(db, 365, 2)).toBe(2);
    expect(await anonymiseAuditBatch(db, 365, 2)).toBe(1);
    expect(await anonymiseAuditBatch(db, 365, 2)).toBe(0);
  });

  test('npm run audit:anonymise does the same from the command line', async () => {
    const { db, target, driver } = ctx();
    // A second client process: needs a real server (the embedded PGlite serves one session at a time).
    if (driver !== 'postgres-js' || target.name !== 'server') return;
    await insertAudit(db, 40, 'someone@example.com', { username: 'someone@example.com' });
    const run = spawnSync('npx', ['tsx', 'scripts/audit-anonymise.ts'], {
      env: { ...process.env, DATABASE_URL: target.url, AUDIT_RETENTION_DAYS: '30' },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Anonymised 1 audit row\(s\) older than 30 day\(s\)/);
    expect((await all(db))[0]).toMatchObject({ actor_username: '[removed]', ip: null });
  });
});
