// The Hindi catalog, loaded only when Hindi is chosen (its own chunk). Typed against the English one, so a
// missing key is a type error; test/node/ui/i18n.test.ts checks that each message has the same parameters.
import type { Catalog } from '../catalog';
import { common } from './common';
import { billScan } from './bill-scan';
import { scanner } from './scanner';
import { shell } from './shell';
import { bills } from './bills';
import { reports } from './reports';
import { me } from './me';
import { admin } from './admin';
import { lists } from './lists';
import { lookup } from './lookup';
import { dashboard } from './dashboard';
import { board } from './board';
import { returns } from './returns';
import { importScreen } from './import';
import { system } from './system';
import { HINDI_NUMBER_WORDS } from './numbers';

export const hi: Catalog = {
  locale: 'hi-IN',
  messages: {
    ...common,
    ...scanner,
    ...billScan,
    ...shell,
    ...bills,
    ...reports,
    ...me,
    ...admin,
    ...lists,
    ...lookup,
    ...dashboard,
    ...board,
    ...returns,
    ...importScreen,
    ...system,
  },
  numberWords: HINDI_NUMBER_WORDS,
};
