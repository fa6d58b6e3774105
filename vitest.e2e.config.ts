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
    // One retry for the browser suite only: two timing races (scan-answers "a scan that came after its
    // screen was left", floor-details' grayscale takeover) fail now and then when the machine is loaded and
    // pass alone; a retried pass still shows in the output. Tracked in the 2026-12-03 closing note.
    retry: 1,
  },
});
