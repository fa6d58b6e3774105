// Which language and sound a person gets on this device: their own choice (Me page) kept per user in
// localStorage, else the device's last choice (so the sign-in screen is already in it), else the browser's
// first language we have, else English. `<html lang>` follows the language on screen.
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

export function preferredLanguage(userId?: number | null): Language {
  for (const value of [userId != null ? read(languageKey(userId)) : null, read(DEVICE_KEY)]) {
    if (isLanguage(value)) return value;
  }
  const nav = web.navigator;
  return browserLanguage(nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : []);
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

/** Someone signed in (or out): their language and speech choice from now on. */
export function applyPreferences(userId: number | null | undefined): Promise<void> {
  spokenCount.value = userId != null && read(speechKey(userId)) === 'on';
  return applyLanguage(preferredLanguage(userId));
}
