// The English catalog: the source of every key and of each message's parameters. One file per part of
// the app, merged here; add a part by adding its file and one spread (and the same in ../hi/index.ts).
import { common } from './common';

export const en = {
  ...common,
} as const;

export type MessageKey = keyof typeof en;
