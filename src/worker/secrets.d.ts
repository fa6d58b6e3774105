// Secrets are not in wrangler.toml, so `wrangler types` cannot see them; declared here for Env.
declare namespace Cloudflare {
  interface Env {
    DATABASE_URL: string;
    SESSION_SECRET: string;
    /** Tests and local tooling only: send neon-http queries to a local Neon-protocol endpoint. */
    NEON_HTTP_ENDPOINT?: string;
    FLUSH_DELAY_MS?: string;
  }
}
