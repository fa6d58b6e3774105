declare namespace Cloudflare {
  interface Env {
    DIRECT_DATABASE_URL: string;
    DB_CONTROL_URL: string;
    /** Why the global setup could not import the TraitorTrack fixture, or ''. */
    IMPORT_ERROR: string;
    /** Set by vitest.workers.config.ts for the /metrics tests. */
    METRICS_TOKEN: string;
  }
}
