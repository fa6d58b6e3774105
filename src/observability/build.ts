// The build's identity for /health/detailed and /metrics: the git revision (GIT_REVISION, passed by npm start and
// npm run deploy) and when this isolate started serving (taken at its first request: module scope has no clock).
let startedAt: string | null = null;

export function isolateStartedAt(): string {
  startedAt ??= new Date().toISOString();
  return startedAt;
}
