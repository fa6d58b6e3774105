// Anonymises audit rows older than the retention period (the same job the Worker's daily cron runs):
//   DATABASE_URL=… [AUDIT_RETENTION_DAYS=365] npm run audit:anonymise
import { anonymiseExpiredAudit } from '../src/db/audit-retention';
import { closeDb, getDb } from '../src/db/client';
import { isMain, requireDatabaseUrl, runMain } from './db/cli';

if (isMain(import.meta.url)) {
  runMain(async () => {
    const days = Number(process.env.AUDIT_RETENTION_DAYS ?? 365);
    if (!Number.isInteger(days) || days < 1) throw new Error('AUDIT_RETENTION_DAYS must be a whole number of days ≥ 1.');
    const db = getDb({ DATABASE_URL: requireDatabaseUrl() });
    try {
      const n = await anonymiseExpiredAudit(db, days, Number.MAX_SAFE_INTEGER);
      console.log(`Anonymised ${n} audit row(s) older than ${days} day(s).`);
    } finally {
      await closeDb(db);
    }
  });
}
