// Plain-Node vitest for the Postgres layer (the Workers integration cannot load `pg`; see PLATFORM-NOTES.md).
// Files run one at a time: each starts its own embedded Postgres, and the machine has two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/node/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One retry: on a loaded two-core machine a timing-bound test can miss once. A pass that needed the retry
    // is listed as FLAKY next to the totals (scripts/lib/outcomes-reporter.mjs), so the race still gets fixed.
    retry: 1,
  },
});
