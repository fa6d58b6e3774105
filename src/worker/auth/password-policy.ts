// Rules every new password must pass (user creation, reset, change, first-admin bootstrap). The common
// list is zxcvbn-ts' maintained "passwords-common" dictionary (~30k entries, ~370 kB in the bundle),
// checked case-insensitively through a Set built once per isolate.
import { dictionary } from '@zxcvbn-ts/language-common';
import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 10;
/** PBKDF2 cost grows with input length only marginally, but bodies stay small and logs stay sane. */
export const PASSWORD_MAX_LENGTH = 256;

let common: Set<string> | null = null;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}

/** Why a password is not acceptable for this user, in words; null when it is fine. */
export function passwordProblem(password: string, username?: string, minLength = PASSWORD_MIN_LENGTH): string | null {
  if (password.length < minLength) return `The password must be at least ${minLength} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (isCommonPassword(password)) return 'The password is on a list of commonly used passwords; choose another.';
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    return 'The password must not contain the username.';
  }
  return null;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;

export const usernameSchema = z
  .string()
  .trim()
  .regex(USERNAME_PATTERN, 'username must be 3–32 characters of A–Z a–z 0–9 _ . -');

/** Shape only; the policy (needs the username) runs in the route. */
export const newPasswordSchema = z.string().min(1, 'password is required').max(PASSWORD_MAX_LENGTH);
