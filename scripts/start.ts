// `npm start`: the whole product on one machine. Starts the embedded Postgres (unless DATABASE_URL names
// another), applies migrations, seeds the dispatch areas and the demo logins (local databases only),
// builds the UI, runs `wrangler dev`, prints the URL and logins, and stops everything on Ctrl-C.
import { DEV_PASSWORD, DEV_USERS } from './db/seed';
import { startStack, type Stack } from './lib/stack';

// Tuning knobs, and the operations settings and secrets (docs/OPERATIONS.md): alerts go to ALERT_WEBHOOK_URL when
// it is set in the environment, /metrics accepts METRICS_TOKEN, and every ALERT_* threshold can be tried locally.
const PASSED_THROUGH = [
  'FLUSH_DELAY_MS', 'PARENT_FLUSH_DELAY_MS', 'FLUSH_SHARDS', 'FLUSH_SHARDS_PREVIOUS', 'REGISTRY_SHARDS', 'NEON_HTTP_ENDPOINT',
  'BOARD_PUSH_INTERVAL_MS', 'BOARD_BROADCAST_MS',
  'SERVER_TIMING', 'READ_SHARDS', 'READ_VIA_OBJECT',
  'METRICS_TOKEN', 'ALERT_WEBHOOK_URL', 'ALERT_WEBHOOK_SECRET', 'PUBLIC_URL',
  'ALERT_EVAL_SECONDS', 'ALERT_FLUSH_BACKLOG', 'ALERT_FLUSH_OLDEST_SECONDS', 'ALERT_FLUSH_FOR_SECONDS', 'ALERT_PG_DOWN_FOR_SECONDS',
  'ALERT_5XX_RATIO', 'ALERT_5XX_WINDOW_MINUTES', 'ALERT_5XX_MIN_REQUESTS', 'ALERT_SIGNIN_FAILURES', 'ALERT_SIGNIN_BASELINE_FACTOR',
  'ALERT_ERRORS_THRESHOLD', 'ALERT_RESOLVE_SECONDS', 'ALERT_AREA_SILENT_MINUTES', 'ALERT_SHIFT_HOURS',
];

async function main(): Promise<void> {
  let stack: Stack;
  try {
    stack = await startStack({
      port: Number(process.env.PORT ?? 8787),
      host: process.env.HOST ?? '127.0.0.1',
      // Overridable so benchmarks can run on a fresh, throwaway state.
      dataDir: process.env.DATA_DIR ?? '.data',
      databaseUrl: process.env.DATABASE_URL,
      // Taken as given (tools that restart on the same data need the same URL).
      pgPort: process.env.PG_PORT ? Number(process.env.PG_PORT) : undefined,
      persistTo: process.env.PERSIST_TO,
      buildUi: process.env.SKIP_UI_BUILD !== '1',
      wranglerLogLevel: process.env.WRANGLER_LOG,
      // Tuning knobs passed through for benchmarks and experiments.
      vars: Object.fromEntries(PASSED_THROUGH.filter((k) => process.env[k]).map((k) => [k, process.env[k]!])),
    });
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  void stack.exited.then((code) => {
    if (!stopping) {
      console.error(`wrangler dev exited (${code}).`);
      void shutdown(code ?? 1);
    }
  });

  console.log(`\nTraceTrack is running on ${stack.url}`);
  if (stack.demoUsers) {
    console.log(`Demo logins (local development only), password "${DEV_PASSWORD}":`);
    for (const u of DEV_USERS) console.log(`  ${u.username.padEnd(12)} ${u.role.padEnd(11)} ${u.area ?? 'all areas'}`);
  } else {
    console.log('No demo logins: DATABASE_URL names a database elsewhere, which never gets users with a known password.');
  }
  console.log('Press Ctrl-C to stop.\n');
}

void main();
