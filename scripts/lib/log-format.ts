// `npm start` shows the Worker's JSON log lines (src/observability/log.ts) readably on the console:
//   09:51:02.123 INFO  POST /api/parents/:qr/children → 200 3.2 ms  req=4f1c… user=3 area=2 path=/api/parents/SB00012/children
// Lines that are not our JSON pass through unchanged. LOG_FORMAT=json keeps the raw lines (for piping into jq).
import { Transform } from 'node:stream';

const LEVEL_COLOUR: Record<string, string> = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };
const RESET = '\x1b[0m';

function value(v: unknown): string {
  if (typeof v === 'string') return /\s/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** One readable line for a JSON log line, or null when the text is not one of ours. */
export function readableLine(text: string, colour = false): string | null {
  const start = text.indexOf('{');
  if (start < 0) return null;
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(text.slice(start)) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof line.time !== 'string' || typeof line.level !== 'string' || typeof line.msg !== 'string') return null;
  const { time, level, msg, ...rest } = line as { time: string; level: string; msg: string } & Record<string, unknown>;
  const clock = time.slice(11, 23);
  const lvl = level.toUpperCase().padEnd(5);
  const head = colour ? `${LEVEL_COLOUR[level] ?? ''}${lvl}${RESET}` : lvl;
  let what = msg;
  if (msg === 'request') {
    const { method, route, status, durationMs, requestId, userId, areaId, path, role } = rest;
    what = `${String(method)} ${String(route)} → ${String(status)} ${String(durationMs)} ms`;
    for (const k of ['method', 'route', 'status', 'durationMs', 'requestId', 'userId', 'areaId', 'path', 'role']) delete rest[k];
    const tail = [`req=${String(requestId)}`, userId != null ? `user=${String(userId)}` : '', role != null ? `role=${String(role)}` : '', areaId != null ? `area=${String(areaId)}` : '', path !== route ? `path=${String(path)}` : '']
      .filter(Boolean)
      .join(' ');
    what = `${what}  ${tail}`;
  }
  const extra = Object.entries(rest)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(' ');
  return `${clock} ${head} ${what}${extra ? `  ${extra}` : ''}`;
}

/** A stream transform that rewrites our JSON lines and passes everything else through. */
export function readableLogs(colour: boolean): Transform {
  let pending = '';
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      done(null, lines.map((l) => `${readableLine(l, colour) ?? l}\n`).join(''));
    },
    flush(done) {
      done(null, pending ? `${readableLine(pending, colour) ?? pending}\n` : '');
    },
  });
}
