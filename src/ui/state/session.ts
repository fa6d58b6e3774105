// Who is signed in. Loaded once from /api/auth/me; every 401 from the API drops back to the sign-in screen.
import { signal } from '@preact/signals';
import { api, setUnauthenticatedHandler } from '../api/client';
import type { SessionUser } from '../api/types';
import { setTimeZone } from '../format';
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

/** What /api/auth/login and /api/auth/me answer: the user and the deployment's zone for every time shown. */
export interface SessionInfo {
  user: SessionUser;
  timeZone?: string;
}

export function startSession(info: SessionInfo): void {
  setTimeZone(info.timeZone);
  currentUser.value = info.user;
}

export async function loadSession(): Promise<void> {
  try {
    startSession(await api<SessionInfo>('/api/auth/me'));
  } catch {
    currentUser.value = null;
  }
}

export async function signOut(): Promise<void> {
  await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
  currentUser.value = null;
}
