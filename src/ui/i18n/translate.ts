// The message format of the UI's catalogs and the one function that turns a message into text. Pure (no DOM),
// so it is tested in plain Node. The platform does the hard parts: Intl.PluralRules picks the plural form for
// the language (Hindi: one for 0 and 1, other above), Intl.NumberFormat writes numbers the way the locale does.
// A message is a string with `{name}` holes, or plural forms chosen by the `count` parameter.

export interface Plural {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}
export type Message = string | Plural;
export type Messages = Readonly<Record<string, Message>>;

type Holes<S> = S extends `${string}{${infer P}}${infer R}` ? P | Holes<R> : never;
type HolesOf<M> = M extends string ? Holes<M> : M extends Plural ? Holes<M[keyof M]> | 'count' : never;
/** The parameters a message needs, read from its English text: `t('x', { parent })` is type-checked. */
export type ParamsOf<M> = [HolesOf<M>] extends [never]
  ? []
  : [params: { [P in HolesOf<M>]: M extends Plural ? (P extends 'count' ? number : string | number) : string | number }];

export type Params = Record<string, string | number>;

export interface Translator {
  readonly locale: string;
  text(message: Message | undefined, params?: Params, key?: string): string;
  number(n: number, maxFractionDigits?: number): string;
}

export function translator(locale: string): Translator {
  const plurals = new Intl.PluralRules(locale);
  const numbers = new Map<number, Intl.NumberFormat>();
  const number = (n: number, maxFractionDigits = 0): string => {
    let f = numbers.get(maxFractionDigits);
    if (!f) numbers.set(maxFractionDigits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: maxFractionDigits })));
    return f.format(n);
  };
  return {
    locale,
    number,
    text(message, params = {}, key = '') {
      if (message === undefined) return key;
      const template = typeof message === 'string' ? message : (message[plurals.select(Number(params.count)) as keyof Plural] ?? message.other);
      return template.replace(/\{(\w+)\}/g, (hole, name: string) => {
        const value = params[name];
        if (value === undefined) return hole;
        return typeof value === 'number' ? number(value) : value;
      });
    },
  };
}

/** The `{name}` holes of a message, all plural forms together: two catalogs' messages must have the same. */
export function holesOf(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(/\{(\w+)\}/g)) names.add(m[1]!);
  if (typeof message !== 'string') names.add('count');
  return [...names].sort();
}
