// The UI's one way to words: `t('scanner.linked', { parent })` in the chosen language. English is built in
// (and the fallback for anything missing); Hindi is its own chunk, loaded when chosen. Every Intl format
// (numbers, times: 24-hour) follows the language. Components that call t() re-render when the language
// changes, because t() reads a signal. No DOM here (tested in plain Node): which language a user gets, and
// `<html lang>`, are in ./preferences.ts.
import { computed, signal } from '@preact/signals';
import { setLocale } from '../format';
import type { Catalog } from './catalog';
import { en, type MessageKey } from './en';
import { loadScriptFont } from './fonts';
import { translator, type Messages, type Params, type ParamsOf, type Translator } from './translate';

export const LANGUAGES = ['en', 'hi'] as const;
export type Language = (typeof LANGUAGES)[number];
export type { MessageKey };

const english: Catalog = { locale: englishLocale(), messages: en };
const loaders: Record<Language, () => Promise<Catalog>> = {
  en: async () => english,
  hi: async () => (await Promise.all([import('./hi'), loadScriptFont('hi')]))[0].hi,
};

interface Active {
  language: Language;
  catalog: Catalog;
  tr: Translator;
}
const active = signal<Active>({ language: 'en', catalog: english, tr: translator(english.locale) });

/** The language on screen now. */
export const language = computed(() => active.value.language);

/** English numbers and dates in the browser's own English (en-US, en-GB…), else Indian English. */
function englishLocale(): string {
  const nav = (globalThis as { navigator?: { language?: string } }).navigator;
  return nav?.language?.toLowerCase().startsWith('en') ? nav.language : 'en-IN';
}

/** The first of the browser's languages (navigator.languages) that we have a catalog for; English otherwise. */
export function browserLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

let switching: Promise<void> = Promise.resolve();
const listeners: Array<(lang: Language, locale: string) => void> = [];

/** Called after each switch (the page sets `<html lang>` through this). */
export function onLanguageChange(listener: (lang: Language, locale: string) => void): void {
  listeners.push(listener);
}

/** Shows the app in `lang` (loading its catalog first, so nothing flashes half-translated). */
export function applyLanguage(lang: Language): Promise<void> {
  switching = switching.then(async () => {
    if (active.value.language === lang) return;
    let catalog: Catalog;
    try {
      catalog = await loaders[lang]();
    } catch {
      // The catalog chunk could not be fetched (offline before it was ever cached): stay readable.
      return;
    }
    active.value = { language: lang, catalog, tr: translator(catalog.locale) };
    setLocale(catalog.locale);
    for (const listener of listeners) listener(lang, catalog.locale);
  });
  return switching;
}

/** The message `key` in the language on screen, its `{holes}` filled (numbers formatted for the locale). */
export function t<K extends MessageKey>(key: K, ...params: ParamsOf<(typeof en)[K]>): string {
  const { catalog, tr } = active.value;
  const message = catalog.messages[key] ?? en[key];
  return tr.text(message, params[0] as Params | undefined, key);
}

/** Like t() for a key computed at run time (e.g. an error code); undefined when the catalog has no such key. */
export function tryT(key: string, params?: Params): string | undefined {
  const { catalog, tr } = active.value;
  const message = (catalog.messages as Messages)[key] ?? (en as Messages)[key];
  return message === undefined ? undefined : tr.text(message, params, key);
}

/** A number as the language writes it. */
export function n(value: number, maxFractionDigits = 0): string {
  return active.value.tr.number(value, maxFractionDigits);
}

/** The BCP 47 locale on screen (for Intl and speech). */
export function currentLocale(): string {
  return active.value.tr.locale;
}

/** Words for a number where the language has them (Hindi 0–100), else the number as digits. */
export function numberWords(value: number): string {
  return active.value.catalog.numberWords?.[value] ?? n(value);
}

/** What the spoken count says: "सत्ताईस / तीस", "27 of 30". */
export function countWords(count: number, capacity: number): string {
  return t('speech.count', { count: numberWords(count), capacity: numberWords(capacity) });
}

export interface CodedError {
  code: string;
  [detail: string]: unknown;
}

/**
 * A server error in the chosen language, from its code (never the server's English message as it came):
 * every code of the contract has words in the catalog; an unknown one is named by its code.
 */
export function errorText(error: unknown): string {
  const code = codeOf(error);
  return tryT(`error.${code}`) ?? t('error.unknown', { code });
}

/** The contract's error code of an API error; 'CLIENT' for anything else (a bug on this side). */
export function codeOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as CodedError).code === 'string') return (error as CodedError).code;
  return 'CLIENT';
}
