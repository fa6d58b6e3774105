// The Worker's side of sign-in throttling (rules in durable/limiter/sign-in-throttle.ts): every check of a
// password typed by someone (sign-in, and the current password that guards password and TOTP changes) runs
// between `beginPasswordAttempt` and the attempt's `settle`. The refusal is decided before any user is
// looked up, so it reads the same for a username that exists and one that does not.
import type { Context } from 'hono';
import { AppError } from '../../shared/errors';
import { signInLimiterFor } from '../../durable/stubs';
import type { SignInOutcome } from '../../durable/limiter/rate-limiter';
import type { ThrottlePolicy } from '../../durable/limiter/sign-in-throttle';
import { settings, type Settings } from '../../config/settings';
import type { AppEnv } from '../types';
import { clientAddress, clientNetwork } from './client-network';

export function throttlePolicy(s: Settings): ThrottlePolicy {
  return {
    accountFreeFailures: s.LOGIN_FREE_FAILURES,
    networkFreeFailures: s.LOGIN_NETWORK_FREE_FAILURES,
    baseDelayMs: s.LOGIN_DELAY_BASE_SECONDS * 1000,
    maxDelayMs: s.LOGIN_DELAY_MAX_SECONDS * 1000,
    memoryMs: s.LOGIN_FAILURE_MEMORY_SECONDS * 1000,
  };
}

/** Usernames match ignoring case and surrounding spaces (as the users table does); capped like the body. */
export function throttleUsername(username: string): string {
  return username.trim().toLowerCase().slice(0, 64);
}

export function requestNetwork(c: Context<AppEnv>): string {
  return clientNetwork(clientAddress(c.req.header('CF-Connecting-IP')));
}

export interface PasswordAttempt {
  /**
   * The password was right, or no verdict was reached (the database was down): give the counted attempt
   * back (see SignInOutcome). Only the first call counts; never throws.
   */
  settle(outcome: SignInOutcome): Promise<void>;
}

/** Counts an attempt for (username, client network) and the network; 429 RATE_LIMITED while either waits. */
export async function beginPasswordAttempt(c: Context<AppEnv>, username: string): Promise<PasswordAttempt> {
  const s = settings(c.env);
  const network = requestNetwork(c);
  const limiter = signInLimiterFor(c.env, network);
  const start = await limiter.beginSignIn(network, throttleUsername(username), throttlePolicy(s), s.LOGIN_ATTEMPTS_PER_MINUTE);
  if (!start.allowed) {
    throw new AppError('RATE_LIMITED', `Too many failed sign-in attempts from your network; try again in ${start.retryAfterSeconds} s.`, {
      retryAfterSeconds: start.retryAfterSeconds,
    });
  }
  const { ticket } = start;
  let settled = false;
  return {
    async settle(outcome) {
      if (settled) return;
      settled = true;
      try {
        await limiter.settleSignIn(ticket, outcome);
      } catch (err) {
        // The attempt stays counted as a failure: at worst one extra failure, never a wrong answer.
        console.error('sign-in throttle settle failed', err instanceof Error ? err.message : err);
      }
    },
  };
}
