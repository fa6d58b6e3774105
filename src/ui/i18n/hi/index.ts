// The Hindi catalog, loaded only when Hindi is chosen (its own chunk). Typed against the English one, so a
// missing key is a type error; test/node/ui/i18n.test.ts checks that each message has the same parameters.
import type { Catalog } from '../catalog';
import { common } from './common';
import { HINDI_NUMBER_WORDS } from './numbers';

export const hi: Catalog = {
  locale: 'hi-IN',
  messages: {
    ...common,
  },
  numberWords: HINDI_NUMBER_WORDS,
};
