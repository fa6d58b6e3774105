// Small helpers shared by the database scripts' command lines.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** True when the module at `metaUrl` is the script node was started with (not an import). */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && metaUrl === pathToFileURL(resolve(entry)).href;
}

export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set (e.g. postgres://postgres:postgres@127.0.0.1:5433/postgres for the embedded server).');
    process.exit(2);
  }
  return url;
}

export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
