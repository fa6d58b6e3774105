// The current password, asked again before a signed-in user changes what protects the account (password,
// TOTP on or off): a session left open on a shared device must not be enough. Guesses here are throttled
// exactly like sign-in guesses, per (username, client network).
import type { Context } from 'hono';
import { AppError } from '../../shared/errors';
import type { AppEnv } from '../types';
import { verifyPassword } from './password';
import { beginPasswordAttempt } from './sign-in-guard';

/** 403 FORBIDDEN for a wrong password, 429 RATE_LIMITED while this username and network wait. */
export async function confirmCurrentPassword(c: Context<AppEnv>, user: { username: string; passwordHash: string }, password: string): Promise<void> {
  const attempt = await beginPasswordAttempt(c, user.username);
  if (!(await verifyPassword(password, user.passwordHash))) throw new AppError('FORBIDDEN', 'The current password is wrong.');
  await attempt.settle('success');
}
