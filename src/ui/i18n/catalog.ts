// What a language brings: its messages for every English key, the Intl locale it formats with, and
// (optionally) number words for the spoken count.
import type { Message, Plural } from './translate';
import type { core } from './en/core';

export const LANGUAGES = ['en', 'hi'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Same keys as an English part; each message a string or plural forms (the words differ, the holes do not). */
export type CatalogPart<T> = { readonly [K in keyof T]: T[K] extends string ? string : Plural };

/** A language's core: what the scanner page needs (../parts.ts has the rest, screen by screen). */
export interface Catalog {
  /** BCP 47 tag for Intl (numbers, dates, plural rules) and for speech. */
  readonly locale: string;
  readonly messages: CatalogPart<typeof core>;
  /** Words for small numbers, where a voice might read digits in another language. */
  readonly numberWords?: readonly string[];
}

export type { Message };
