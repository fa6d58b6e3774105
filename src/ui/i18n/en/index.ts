// The English catalog: the source of every key and of each message's parameters. One file per part of
// the app, merged here; add a part by adding its file and one spread (and the same in ../hi/index.ts).
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
