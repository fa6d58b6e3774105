// The English the scanner page ships (the entry chunk): the words every screen shares, the shell's and the
// scanner's. Every other screen's part travels with that screen (../parts.ts); ./index.ts is all of them.
import { common } from './common';
import { scanner } from './scanner';
import { shell } from './shell';

export const core = { ...common, ...scanner, ...shell } as const;
