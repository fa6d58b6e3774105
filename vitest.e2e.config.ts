// End-to-end tests: the whole product (as `npm start` runs it) driven by Debian's Chromium through
// playwright-core. One file at a time: they share one server and the machine has two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // One retry, as in the other suites: a pass that needed it is listed as FLAKY next to the totals
    // (scripts/lib/outcomes-reporter.mjs), so the race still gets fixed.
    retry: 1,
  },
});
