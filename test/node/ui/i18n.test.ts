// The message catalogs and the translator: every English key has Hindi words with the same parameters,
// every server error code has words, plurals and numbers follow the language, and the language chosen
// follows the user, then the device, then the browser.
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../../src/shared/errors';
import { en } from '../../../src/ui/i18n/en';
import { hi } from '../../../src/ui/i18n/hi';
import { applyLanguage, browserLanguage, countWords, errorText, language, loadParts, n, numberWords, t, tryT } from '../../../src/ui/i18n';
import { holesOf, translator } from '../../../src/ui/i18n/translate';
import { core } from '../../../src/ui/i18n/en/core';
import { hiCore } from '../../../src/ui/i18n/hi/core';
import { PARTS } from '../../../src/ui/i18n/parts';
import { formatTime } from '../../../src/ui/format';

afterEach(async () => {
  await applyLanguage('en');
});

describe('catalogs', () => {
  it('has Hindi words for every English key, with the same parameters', () => {
    const hiMessages = hi.messages as Record<string, unknown>;
    const missing = Object.keys(en).filter((k) => !(k in hiMessages));
    expect(missing).toEqual([]);
    expect(Object.keys(hiMessages).filter((k) => !(k in en))).toEqual([]);
    for (const [key, message] of Object.entries(en)) {
      expect({ key, holes: holesOf(hiMessages[key] as never) }).toEqual({ key, holes: holesOf(message) });
    }
  });

  it('loads, core and parts together, exactly the whole catalog in each language', async () => {
    // What the app fetches (the scanner page's core, then each screen's parts) is what the checks above read.
    for (const [lang, whole, first] of [['en', en, core], ['hi', hi.messages, hiCore.messages]] as const) {
      const loaded: Record<string, unknown> = { ...first };
      for (const part of Object.values(PARTS)) {
        const words = await part[lang]();
        expect(Object.keys(words).filter((k) => k in loaded)).toEqual([]);
        Object.assign(loaded, words);
      }
      expect(loaded).toEqual(whole);
    }
  });

  it('shows a screen part in the language on screen once loaded, English until then', async () => {
    await applyLanguage('hi');
    expect(tryT('me.title')).toBeUndefined();
    await loadParts(['me']);
    expect(t('me.title')).toBe(hi.messages['me.title']);
    await applyLanguage('en');
    expect(t('me.title')).toBe(en['me.title']);
  });

  it('has no Hindi message left in English', () => {
    // Words that stay the same in both (names of languages, codes) are allowed to repeat.
    const same = Object.entries(en).filter(([k, m]) => JSON.stringify(m) === JSON.stringify((hi.messages as Record<string, unknown>)[k]));
    expect(same.map(([k]) => k)).toEqual([]);
  });

  it('has words for every error code of the contract, in both languages', async () => {
    for (const code of [...Object.keys(ERROR_STATUS), 'NETWORK']) {
      expect(Object.keys(en)).toContain(`error.${code}`);
    }
    await applyLanguage('hi');
    expect(errorText({ code: 'PARENT_FULL', message: 'Parent SB00001 is full.' })).toBe('पैरेंट बैग भर चुका है।');
    // An unknown code is named, the server's English sentence is not shown.
    expect(errorText({ code: 'NEW_THING', message: 'Something in English.' })).toBe('सर्वर ने इसे मना कर दिया (कोड NEW_THING)।');
    expect(errorText(new Error('boom'))).toContain('CLIENT');
  });
});

describe('translator', () => {
  it('fills holes and formats numbers for the locale', () => {
    const tr = translator('hi-IN');
    expect(tr.text('{a} और {b}', { a: 'SB00123', b: 1234567 })).toBe('SB00123 और 12,34,567');
    expect(translator('en-US').text('{n} bags', { n: 1234567 })).toBe('1,234,567 bags');
    // A hole with no value stays visible rather than vanishing.
    expect(tr.text('{a}', {})).toBe('{a}');
  });

  it('picks plural forms by the language rules', () => {
    const m = { one: '{count} scan waiting', other: '{count} scans waiting' };
    expect(translator('en').text(m, { count: 1 })).toBe('1 scan waiting');
    expect(translator('en').text(m, { count: 0 })).toBe('0 scans waiting');
    // Hindi treats 0 and 1 alike ("one").
    const h = { one: '{count} स्कैन (एक)', other: '{count} स्कैन' };
    expect(translator('hi').text(h, { count: 0 })).toBe('0 स्कैन (एक)');
    expect(translator('hi').text(h, { count: 2 })).toBe('2 स्कैन');
  });

  it('switches language for t(), numbers and times (24-hour)', async () => {
    expect(t('language.label')).toBe('Language');
    await applyLanguage('hi');
    expect(language.value).toBe('hi');
    expect(t('language.label')).toBe('भाषा');
    expect(n(100000)).toBe('1,00,000');
    expect(formatTime('2026-11-24T20:45:09.000Z')).toMatch(/^02:15:09 /);
    expect(tryT('no.such.key')).toBeUndefined();
  });

  it('speaks counts as Hindi words', async () => {
    await applyLanguage('hi');
    expect(numberWords(27)).toBe('सत्ताईस');
    expect(countWords(27, 30)).toBe('सत्ताईस / तीस');
    await applyLanguage('en');
    expect(countWords(27, 30)).toBe('27 of 30');
  });
});

describe('browserLanguage', () => {
  it("takes the first of the browser's languages that has a catalog", () => {
    expect(browserLanguage(['hi-IN', 'en-US'])).toBe('hi');
    expect(browserLanguage(['fr-FR', 'en-GB', 'hi'])).toBe('en');
    expect(browserLanguage(['ta-IN', 'hi'])).toBe('hi');
    expect(browserLanguage([])).toBe('en');
  });
});
