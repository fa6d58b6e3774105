declare namespace Cloudflare {
  interface Env {
    DIRECT_DATABASE_URL: string;
    DB_CONTROL_URL: string;
  }
}
