import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          ENVIRONMENT: 'test',
          DATABASE_URL: inject('databaseUrl'),
          DIRECT_DATABASE_URL: inject('directDatabaseUrl'),
          DB_CONTROL_URL: inject('dbControlUrl'),
          IMPORT_ERROR: inject('importError'),
          SESSION_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
          REGISTRY_SHARDS: '8',
          FLUSH_DELAY_MS: '100',
          // As after raising FLUSH_SHARDS from 4 to 8: the 4 old shards are drained and watched (flush-shard-change.test.ts).
          FLUSH_SHARDS_PREVIOUS: '4',
          PARENT_FLUSH_DELAY_MS: '50',
          // The board's broadcast window at 100 ms (the product's default is 25): wide enough that the batching
          // test's burst lands inside it on a loaded machine (test/workers/websocket.test.ts "live board").
          BOARD_BROADCAST_MS: '100',
          METRICS_TOKEN: 'test-metrics-token-0123456789',
        },
      },
    })),
  ],
  test: {
    include: ['test/workers/**/*.test.ts'],
    globalSetup: ['test/workers/global-setup-node.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // One retry: on a loaded two-core machine a timing-bound test can miss once. A pass that needed the retry
    // is listed as FLAKY next to the totals (scripts/lib/outcomes-reporter.mjs), so the race still gets fixed.
    retry: 1,
  },
});
