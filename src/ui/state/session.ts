// Who is signed in. Loaded once from /api/auth/me; every 401 from the API drops back to the sign-in screen.
import { signal } from '@preact/signals';
import { api, ApiError, setUnauthenticatedHandler } from '../api/client';
import type { SessionUser } from '../api/types';
import { applyPreferences } from '../i18n/preferences';

/** undefined while the first /me is in flight, null when signed out. */
export const currentUser = signal<SessionUser | null | undefined>(undefined);

setUnauthenticatedHandler(() => {
  currentUser.value = null;
});

// Whoever is signed in sees their own language and speech choice (the device's default when signed out).
currentUser.subscribe((user) => {
  if (user === undefined) return;
  void applyPreferences(user?.id);
});

// Who was signed in on this device, so a reload or a new tab while offline opens the app for them (the
// scanner queues on the device; the server still checks the session cookie on every request once online).
const LAST_USER_KEY = 'tracetrack.user';

function remember(user: SessionUser | null): void {
  try {
    if (user) localStorage.setItem(LAST_USER_KEY, JSON.stringify(user));
    else localStorage.removeItem(LAST_USER_KEY);
  } catch {
    // Private mode: offline reloads then show the sign-in screen.
  }
}

function remembered(): SessionUser | null {
  try {
    return JSON.parse(localStorage.getItem(LAST_USER_KEY) ?? 'null') as SessionUser | null;
  } catch {
    return null;
  }
}

currentUser.subscribe((user) => {
  if (user !== undefined) remember(user);
});

export async function loadSession(): Promise<void> {
  try {
    const { user } = await api<{ user: SessionUser }>('/api/auth/me');
    currentUser.value = user;
  } catch (err) {
    // No network: the same person as before, until the server can say otherwise (a 401 then signs out).
    currentUser.value = err instanceof ApiError && err.isNetwork ? remembered() : null;
  }
}

export async function signOut(): Promise<void> {
  await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
  currentUser.value = null;
}
