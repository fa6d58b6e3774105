// The whole Hindi catalog, for the tests (the app loads ./core.ts and each screen's part through
// ../parts.ts). Typed against the whole English one, so a missing key is a type error;
// test/node/ui/i18n.test.ts checks that each message has the same parameters and that the core and the
// parts together are this catalog.
import type { CatalogPart } from '../catalog';
import type { en } from '../en';
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

export const hi: { locale: string; messages: CatalogPart<typeof en>; numberWords: readonly string[] } = {
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
