// `npm run import:traitortrack`: moves a TraitorTrack deployment into TraceTrack (docs/MIGRATING.md).
//   DATABASE_URL=<TraceTrack> npm run import:traitortrack -- --from <TraitorTrack URL> [--dry-run] [--report FILE]
// With TRACETRACK_URL, ADMIN_USERNAME and ADMIN_PASSWORD set, it then rebuilds the QR registry through the
// running deployment (as `npm run registry:rebuild` does).
import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from '../../src/db/counter-sql';
import { isMain, runMain } from '../db/cli';
import { rebuildRegistry } from '../registry-rebuild';
import { consoleProgress } from './traitortrack/progress';
import { formatSummary, importTraitorTrack } from './traitortrack/run';

const USAGE = 'Usage: DATABASE_URL=<TraceTrack Postgres> npm run import:traitortrack -- --from <TraitorTrack Postgres URL> [--dry-run] [--report FILE]';

const postgresUrl = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .refine((v) => /^postgres(ql)?:\/\//.test(v), `${what} must be a postgres:// URL`);

const argsSchema = z.strictObject({
  from: postgresUrl('--from (the TraitorTrack database)'),
  dryRun: z.boolean(),
  report: z.string().min(1, '--report needs a file name').optional(),
});

const envSchema = z
  .object({
    DATABASE_URL: postgresUrl('DATABASE_URL (the TraceTrack database)'),
    TRACETRACK_URL: z.url('TRACETRACK_URL must be a URL').optional(),
    ADMIN_USERNAME: z.string().min(1).optional(),
    ADMIN_PASSWORD: z.string().min(1).optional(),
    PARENT_CAPACITY: z.coerce.number().int().min(1).max(1000).default(30),
    TIME_ZONE: z.string().min(1).default(DEFAULT_TIME_ZONE),
  })
  .refine(
    (e) => [e.TRACETRACK_URL, e.ADMIN_USERNAME, e.ADMIN_PASSWORD].every((v) => v === undefined) || [e.TRACETRACK_URL, e.ADMIN_USERNAME, e.ADMIN_PASSWORD].every((v) => v !== undefined),
    'set TRACETRACK_URL, ADMIN_USERNAME and ADMIN_PASSWORD together (to rebuild the QR registry), or none of them',
  );

export function parseArgs(argv: string[]): z.infer<typeof argsSchema> {
  const out: Record<string, unknown> = { dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dry-run') out.dryRun = true;
    else if (a === '--from' || a === '--report') out[a.slice(2)] = argv[++i];
    else if (a.startsWith('--from=') || a.startsWith('--report=')) out[a.slice(2, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else throw new Error(`Unknown argument ${a}. ${USAGE}`);
  }
  const parsed = argsSchema.safeParse(out);
  if (!parsed.success) throw new Error(`${parsed.error.issues.map((i) => i.message).join('; ')}. ${USAGE}`);
  return parsed.data;
}

function readEnv() {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));
  if (!parsed.success) throw new Error(`${parsed.error.issues.map((i) => i.message).join('; ')}. ${USAGE}`);
  return parsed.data;
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const args = parseArgs(process.argv.slice(2));
    const env = readEnv();
    const progress = consoleProgress();
    const summary = await importTraitorTrack({
      from: args.from,
      to: env.DATABASE_URL,
      dryRun: args.dryRun,
      reportFile: args.report,
      parentCapacity: env.PARENT_CAPACITY,
      timeZone: env.TIME_ZONE,
      progress,
    });
    for (const line of formatSummary(summary)) console.log(line);
    if (args.report) console.log(`Every anomaly, row by row: ${args.report}`);
    else if (!args.dryRun) console.log(`Every anomaly, row by row: SELECT * FROM import_anomalies WHERE run_id = '${summary.runId}' (or run again with --report FILE).`);
    else console.log('Every anomaly, row by row: run again with --report FILE.');
    if (args.dryRun) return;
    if (env.TRACETRACK_URL && env.ADMIN_USERNAME && env.ADMIN_PASSWORD) {
      console.log(`Rebuilding the QR registry of ${env.TRACETRACK_URL}…`);
      const total = await rebuildRegistry(env.TRACETRACK_URL, env.ADMIN_USERNAME, env.ADMIN_PASSWORD);
      console.log(`QR registry rebuilt: ${total} QRs.`);
    } else {
      console.log('Next, with the deployment running on this database, rebuild the QR registry (until then imported children are not guarded):');
      console.log('  TRACETRACK_URL=https://… ADMIN_USERNAME=… ADMIN_PASSWORD=… npm run registry:rebuild');
    }
  });
}
