// Which language and sound a person gets on this device: their own choice (Me page), which the server keeps
// (users.locale, from /api/auth/me, so it follows them to every device) and this device keeps per user in
// localStorage (for offline reloads); a user who never chose gets the browser's first language we have, else
// English. Signed out (the sign-in screen), the device's last choice. `<html lang>` follows the language on screen.
import { signal } from '@preact/signals';
import { applyLanguage, browserLanguage, isLanguage, onLanguageChange, type Language } from '.';

const DEVICE_KEY = 'tracetrack.lang';
const languageKey = (userId: number) => `tracetrack.lang.${userId}`;
const speechKey = (userId: number) => `tracetrack.speech.${userId}`;

// The browser's objects through globalThis: this module is imported by state/session.ts, which plain Node
// tests load too (no DOM there; reads then find nothing and writes do nothing).
type Storage = { getItem(k: string): string | null; setItem(k: string, v: string): void; removeItem(k: string): void };
const web = globalThis as {
  document?: { documentElement: { lang: string } };
  localStorage?: Storage;
  navigator?: { language?: string; languages?: readonly string[] };
};

onLanguageChange((lang) => {
  if (web.document) web.document.documentElement.lang = lang;
});

function read(key: string): string | null {
  try {
    return web.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) web.localStorage?.removeItem(key);
    else web.localStorage?.setItem(key, value);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

function browserChoice(): Language {
  const nav = web.navigator;
  return browserLanguage(nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : []);
}

/**
 * The language for `userId` (none: signed out). `stored` is what the server keeps for them: a language, null
 * (never chosen: the browser's, unless they chose on this device before the server kept it), or undefined
 * (the server could not say: this device's memory of their choice).
 */
export function preferredLanguage(userId?: number | null, stored?: Language | null): Language {
  if (isLanguage(stored)) return stored;
  const own = userId != null ? read(languageKey(userId)) : null;
  if (isLanguage(own)) return own;
  if (stored === null) return browserChoice();
  const device = read(DEVICE_KEY);
  return isLanguage(device) ? device : browserChoice();
}

/** A choice made on this device that the server does not have yet (made offline, or before it kept them). */
export function unsavedChoice(userId: number, stored: Language | null | undefined): Language | null {
  const own = read(languageKey(userId));
  return stored === null && isLanguage(own) ? own : null;
}

/** The user chose a language: remember it for them and as this device's default, and show it. */
export function chooseLanguage(lang: Language, userId?: number | null): Promise<void> {
  write(DEVICE_KEY, lang);
  if (userId != null) write(languageKey(userId), lang);
  return applyLanguage(lang);
}

/** Whether the signed-in user wants the count spoken after each scan (off unless they turned it on). */
export const spokenCount = signal(false);

export function setSpokenCount(userId: number, on: boolean): void {
  spokenCount.value = on;
  write(speechKey(userId), on ? 'on' : null);
}

/** Someone signed in (or out): their language (`stored`: the server's, see preferredLanguage) and speech choice. */
export function applyPreferences(userId: number | null | undefined, stored?: Language | null): Promise<void> {
  spokenCount.value = userId != null && read(speechKey(userId)) === 'on';
  const lang = preferredLanguage(userId, stored);
  if (userId != null && isLanguage(stored)) write(languageKey(userId), stored);
  return applyLanguage(lang);
}
