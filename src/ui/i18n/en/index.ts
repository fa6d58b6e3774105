// The whole English catalog: the source of every key and of each message's parameters (MessageKey), and the
// tests' view of it. The app imports only its type: at run time it ships ./core.ts and loads each screen's
// part with that screen (../parts.ts). Add a part by adding its file and one spread here, the same in
// ../hi/index.ts, and its loaders in ../parts.ts (test/node/ui/i18n.test.ts checks they agree).
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

export const en = {
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
} as const;

export type MessageKey = keyof typeof en;
