export { ParentSession } from './parent/parent-session';
export { QrRegistry } from './registry/qr-registry';
export { LiveBoard } from './board/live-board';
export { FlushMonitor } from './monitor/flush-monitor';
export { FlushQueue } from './flush/flush-queue';
export { RateLimiter } from './limiter/rate-limiter';
export { SessionRevocations } from './auth/session-revocations';
export { PgReader } from './reader/pg-reader';
