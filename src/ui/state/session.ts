// Who is signed in. Loaded once from /api/auth/me; every 401 from the API drops back to the sign-in screen.
import { signal } from '@preact/signals';
import { api, ApiError, setBeforeSignIn, setUnauthenticatedHandler } from '../api/client';
import type { SessionUser } from '../api/types';
import { setTimeZone } from '../format';
import { isLanguage, type Language } from '../i18n';
import { applyPreferences, unsavedChoice } from '../i18n/preferences';
import { pendingScans } from './connection';

/** undefined while the first /me is in flight, null when signed out. */
export const currentUser = signal<SessionUser | null | undefined>(undefined);

setUnauthenticatedHandler(() => {
  currentUser.value = null;
});

/** The signed-in user's language as the server keeps it (null: never chosen; undefined: not known). */
let storedLocale: Language | null | undefined;

// Whoever is signed in sees their own language and speech choice (the device's default when signed out).
currentUser.subscribe((user) => {
  if (user === undefined) return;
  void applyPreferences(user?.id, user ? storedLocale : undefined);
});

/**
 * What /api/auth/login and /api/auth/me answer: the user, the deployment's zone for every time shown and the
 * user's language (null: never chosen; absent: the server could not say).
 */
export interface SessionInfo {
  user: SessionUser;
  timeZone?: string;
  locale?: Language | null;
}

export function startSession(info: SessionInfo): void {
  setTimeZone(info.timeZone);
  storedLocale = info.locale === null || isLanguage(info.locale) ? info.locale : undefined;
  remember(info);
  currentUser.value = info.user;
  // Chosen on this device while the server could not keep it: the server learns it now.
  const unsaved = unsavedChoice(info.user.id, storedLocale);
  if (unsaved) void saveLanguage(unsaved).catch(() => undefined);
}

/**
 * The signed-in user chose a language on the Me page: the server keeps it for every device
 * (PATCH /api/auth/me); this device remembers it too, so an offline reload keeps it.
 */
export async function saveLanguage(lang: Language): Promise<void> {
  const info = await api<SessionInfo>('/api/auth/me', { method: 'PATCH', body: { locale: lang } });
  storedLocale = lang;
  const last = remembered();
  if (last && last.user.id === info.user.id) remember({ ...last, locale: lang });
}

// Who was signed in on this device (and the deployment's zone), so a reload or a new tab while offline opens
// the app for them (the scanner queues on the device; the server still checks the session cookie on every
// request once online).
const LAST_USER_KEY = 'tracetrack.user';

function remember(info: SessionInfo | null): void {
  try {
    if (info) localStorage.setItem(LAST_USER_KEY, JSON.stringify(info));
    else localStorage.removeItem(LAST_USER_KEY);
  } catch {
    // Private mode: offline reloads then show the sign-in screen.
  }
}

function remembered(): SessionInfo | null {
  try {
    const stored = JSON.parse(localStorage.getItem(LAST_USER_KEY) ?? 'null') as SessionInfo | SessionUser | null;
    // Earlier versions kept the user alone.
    return stored && !('user' in stored) ? { user: stored } : stored;
  } catch {
    return null;
  }
}

currentUser.subscribe((user) => {
  if (user === null) remember(null);
});

export async function loadSession(): Promise<void> {
  // Signed out on this device while offline: that session ends on the server first, and nobody is let back in
  // on its cookie (nor, offline, on the remembered user).
  if (signOutPending()) {
    await finishSignOut();
    currentUser.value = null;
    return;
  }
  try {
    startSession(await api<SessionInfo>('/api/auth/me'));
  } catch (err) {
    // No network: the same person as before, until the server can say otherwise (a 401 then signs out).
    const last = err instanceof ApiError && err.isNetwork ? remembered() : null;
    if (last) startSession(last);
    else currentUser.value = null;
  }
}

/** Asked before a sign-out that would leave scans waiting on the device (the shell shows the question). */
export const signOutAsked = signal(false);

/** Sign out (top bar, Me page). With scans still waiting on this device, asks first (SignOutQuestion). */
export async function signOut(): Promise<void> {
  if (pendingScans.value > 0 && !signOutAsked.value) {
    signOutAsked.value = true;
    return;
  }
  signOutAsked.value = false;
  // Offline, the server cannot hear it and the session cookie stays good: the device remembers to end that
  // session at the next moment it has a network, before anyone signs in again.
  if (!(await logoutOnServer())) markSignOutPending(true);
  currentUser.value = null;
}

const SIGN_OUT_PENDING_KEY = 'tracetrack.signout-pending';

function signOutPending(): boolean {
  try {
    return localStorage.getItem(SIGN_OUT_PENDING_KEY) === '1';
  } catch {
    return false;
  }
}

function markSignOutPending(pending: boolean): void {
  try {
    if (pending) localStorage.setItem(SIGN_OUT_PENDING_KEY, '1');
    else localStorage.removeItem(SIGN_OUT_PENDING_KEY);
  } catch {
    // Private mode: nothing outlives the page; the cookie then lasts until it expires.
  }
}

/** True once the server has taken the sign-out (not when it could not be reached or failed: try again). */
async function logoutOnServer(): Promise<boolean> {
  try {
    await api('/api/auth/logout', { method: 'POST' });
    return true;
  } catch (err) {
    return err instanceof ApiError && !err.isNetwork && err.status < 500;
  }
}

/** Ends on the server a session signed out while offline; the cookie goes with it. */
async function finishSignOut(): Promise<void> {
  if (signOutPending() && (await logoutOnServer())) markSignOutPending(false);
}

// Before a new sign-in (its cookie replaces the old one, which could then never be revoked) and as soon as the
// browser has a network again.
setBeforeSignIn(finishSignOut);
if (typeof window !== 'undefined') window.addEventListener('online', () => void finishSignOut());
