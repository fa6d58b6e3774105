// The Hindi the app loads when Hindi is chosen (one chunk): the same parts as ../en/core.ts, and the number
// words of the spoken count. The other screens' Hindi parts load with their screens (../parts.ts).
import type { Catalog } from '../catalog';
import { common } from './common';
import { scanner } from './scanner';
import { shell } from './shell';
import { HINDI_NUMBER_WORDS } from './numbers';

export const hiCore: Catalog = {
  locale: 'hi-IN',
  messages: { ...common, ...scanner, ...shell },
  numberWords: HINDI_NUMBER_WORDS,
};
