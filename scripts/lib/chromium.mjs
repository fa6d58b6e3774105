// Where Debian's Chromium lives (apt-get install chromium); CHROMIUM_PATH overrides. Plain JS so both
// scripts/run-tests.mjs and the TypeScript e2e setup can use it.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

/** @returns {string | null} */
export function findChromium() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}
