// The UI's one way to words: `t('scanner.linked', { parent })` in the chosen language. The scanner page ships
// the English core (./en/core.ts: the shell's and the scanner's words, the fallback for anything missing);
// each other screen's words load with its chunk (`withParts`, ./parts.ts), Hindi's core is its own chunk,
// loaded when chosen. Every Intl format (numbers, times: 24-hour) follows the language. Components that call
// t() re-render when the language changes or a part arrives, because t() reads a signal. No DOM here (tested
// in plain Node): which language a user gets, and `<html lang>`, are in ./preferences.ts.
import { computed, signal } from '@preact/signals';
import { setLocale } from '../format';
import { LANGUAGES, type Catalog, type Language } from './catalog';
import { core } from './en/core';
import type { en, MessageKey } from './en';
import { loadScriptFont } from './fonts';
import { PARTS, type PartName } from './parts';
import { translator, type Messages, type Params, type ParamsOf, type Translator } from './translate';

export { LANGUAGES, type Language, type MessageKey, type PartName };

const englishCore: Catalog = { locale: englishLocale(), messages: core };
const cores: Record<Language, () => Promise<Catalog>> = {
  en: async () => englishCore,
  hi: async () => (await Promise.all([import('./hi/core'), loadScriptFont('hi')]))[0].hiCore,
};

interface Active {
  language: Language;
  locale: string;
  /** The language's core and every part loaded so far. */
  messages: Messages;
  numberWords?: readonly string[];
  tr: Translator;
}
/** English as loaded so far (core and parts): what a message missing in the language on screen falls back to. */
let english: Messages = core;
const loadedParts = new Set<PartName>();
const active = signal<Active>({ language: 'en', locale: englishCore.locale, messages: core, tr: translator(englishCore.locale) });

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

/** Language switches and part loads, one at a time: a part loaded during a switch arrives in the new language. */
let queue: Promise<void> = Promise.resolve();
const listeners: Array<(lang: Language, locale: string) => void> = [];

/** Called after each switch (the page sets `<html lang>` through this). */
export function onLanguageChange(listener: (lang: Language, locale: string) => void): void {
  listeners.push(listener);
}

function enqueue(job: () => Promise<void>): Promise<void> {
  const run = queue.then(job);
  queue = run.catch(() => undefined);
  return run;
}

/** The parts `names` in `lang` (merged), or nothing when one cannot be fetched (English fills in). */
async function partsIn(lang: Language, names: Iterable<PartName>): Promise<Messages> {
  const parts = await Promise.all([...names].map((name) => PARTS[name][lang]()));
  return Object.assign({}, ...parts) as Messages;
}

/** Shows the app in `lang` (loading its catalog first, so nothing flashes half-translated). */
export function applyLanguage(lang: Language): Promise<void> {
  return enqueue(async () => {
    if (active.value.language === lang) return;
    let catalog: Catalog;
    let parts: Messages;
    try {
      [catalog, parts] = await Promise.all([cores[lang](), partsIn(lang, loadedParts)]);
    } catch {
      // The catalog chunk could not be fetched (offline before it was ever cached): stay readable.
      return;
    }
    active.value = { language: lang, locale: catalog.locale, messages: { ...catalog.messages, ...parts }, numberWords: catalog.numberWords, tr: translator(catalog.locale) };
    setLocale(catalog.locale);
    for (const listener of listeners) listener(lang, catalog.locale);
  });
}

/**
 * The catalog parts a screen needs, in English and in the language on screen. Fails only when the English
 * part cannot be fetched (the screen's own chunk could not be either); a missing translation falls back to it.
 */
export function loadParts(names: readonly PartName[]): Promise<void> {
  return enqueue(async () => {
    const missing = names.filter((name) => !loadedParts.has(name));
    if (missing.length === 0) return;
    const lang = active.value.language;
    const [englishParts, translated] = await Promise.all([partsIn('en', missing), lang === 'en' ? undefined : partsIn(lang, missing).catch(() => undefined)]);
    english = { ...english, ...englishParts };
    for (const name of missing) loadedParts.add(name);
    const now = active.value;
    active.value = { ...now, messages: { ...now.messages, ...(lang === 'en' ? englishParts : translated) } };
  });
}

/** A lazy screen's module, resolved once its catalog parts are in too (both fetched at once): for `lazy()`. */
export async function withParts<T>(names: readonly PartName[], load: () => Promise<T>): Promise<T> {
  const [module] = await Promise.all([load(), loadParts(names)]);
  return module;
}

/** The message `key` in the language on screen, its `{holes}` filled (numbers formatted for the locale). */
export function t<K extends MessageKey>(key: K, ...params: ParamsOf<(typeof en)[K]>): string {
  const { messages, tr } = active.value;
  const message = messages[key] ?? english[key];
  return tr.text(message, params[0] as Params | undefined, key);
}

/** Like t() for a key computed at run time (e.g. an error code); undefined when the catalog has no such key. */
export function tryT(key: string, params?: Params): string | undefined {
  const { messages, tr } = active.value;
  const message = messages[key] ?? english[key];
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
  return active.value.numberWords?.[value] ?? n(value);
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
