// Production's first admin, from secrets in the environment: there is never a default password.
//   DATABASE_URL=… ADMIN_USERNAME=… ADMIN_PASSWORD=… npm run bootstrap:admin
// Refuses when any admin exists already, and refuses weak or well-known passwords. Audited.
import { eq } from 'drizzle-orm';
import { hashPassword } from '../src/worker/auth/password';
import { passwordProblem as policyProblem, USERNAME_PATTERN } from '../src/worker/auth/password-policy';
import { scriptAuditMeta } from '../src/db/audit';
import { closeDb, getDb, type Db } from '../src/db/client';
import { users } from '../src/db/schema';
import { createUser, type UserView } from '../src/db/user-admin';
import { DEV_PASSWORD } from './db/seed';
import { isMain, requireDatabaseUrl, runMain } from './db/cli';

/** Passwords of this project that are public (the development seed's): never acceptable in production. */
const PROJECT_KNOWN = new Set([DEV_PASSWORD, 'tracetrack', 'tracetrack-admin']);
const ADMIN_MIN_LENGTH = 12;

/** The users API's policy (common-password list included), stricter on length for the first admin. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < ADMIN_MIN_LENGTH) return `ADMIN_PASSWORD must be at least ${ADMIN_MIN_LENGTH} characters.`;
  if (PROJECT_KNOWN.has(password.toLowerCase()) || password.toLowerCase().includes(username.toLowerCase())) {
    return 'ADMIN_PASSWORD is a known or guessable password; choose another.';
  }
  const problem = policyProblem(password, username, ADMIN_MIN_LENGTH);
  return problem ? `ADMIN_PASSWORD: ${problem}` : null;
}

/**
 * Creates the first admin with its audit row (actor `system:bootstrap-admin`); refuses when any admin
 * exists. The password is checked by the caller (passwordProblem) before it is hashed.
 */
export async function bootstrapAdmin(db: Db, username: string, passwordHash: string): Promise<UserView> {
  const admins = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
  if (admins.length > 0) throw new Error('An admin exists already: nothing to bootstrap.');
  const created = await createUser(db, scriptAuditMeta('bootstrap-admin'), { username, passwordHash, role: 'admin', areaId: null });
  if (!created.ok) throw new Error(`The username ${username} is taken (usernames ignore letter case).`);
  return created.user;
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const url = requireDatabaseUrl();
    const username = process.env.ADMIN_USERNAME?.trim();
    const password = process.env.ADMIN_PASSWORD;
    if (!username || !USERNAME_PATTERN.test(username)) throw new Error('ADMIN_USERNAME must be 3–32 of A–Z a–z 0–9 _ . -');
    if (!password) throw new Error('ADMIN_PASSWORD is not set.');
    const problem = passwordProblem(password, username);
    if (problem) throw new Error(problem);
    const db = getDb({ DATABASE_URL: url });
    try {
      await bootstrapAdmin(db, username, await hashPassword(password));
      console.log(`Created admin ${username}.`);
    } finally {
      await closeDb(db);
    }
  });
}
