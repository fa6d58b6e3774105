// Structured logs: one JSON object per line on the console. Workers Logs (wrangler.toml [observability]) indexes
// the fields; `npm start` prints the same lines readably (scripts/lib/log-format.ts).
//
// Never a secret in a line: callers pass ids, codes, counts and messages, never bodies or headers, and any field
// whose name looks like it could carry one is replaced here as a last guard (the log-redaction test checks a
// whole run's output).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown>;

/** Field names whose values are never written, whatever they hold. */
const SECRET_FIELD = /pass(word)?|secret|token|cookie|authori[sz]ation|totp|otp|^code$|session_?key|^sid$/i;

const REDACTED = '[redacted]';
const MAX_STRING = 2000;

function clean(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return errorFields(value);
  if (depth > 4) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => clean(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = SECRET_FIELD.test(k) ? REDACTED : clean(v, depth + 1);
    return out;
  }
  return String(value);
}

/** An error as log fields: name, message, code, and the cause's message (no stack: it can carry SQL text with values). */
export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Record<string, unknown> = { name: err.name, message: err.message.slice(0, MAX_STRING) };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.errorCode = code;
  if (err.cause instanceof Error) out.cause = err.cause.message.slice(0, MAX_STRING);
  return out;
}

export interface LogLine extends LogFields {
  time: string;
  level: LogLevel;
  msg: string;
}

/** The line as it is written (exported for the tests and for the console formatter). */
export function formatLine(level: LogLevel, msg: string, fields: LogFields = {}): string {
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || k === 'time' || k === 'level' || k === 'msg') continue;
    line[k] = SECRET_FIELD.test(k) ? REDACTED : clean(v, 0);
  }
  return JSON.stringify(line);
}

function write(level: LogLevel, msg: string, fields?: LogFields): void {
  const text = formatLine(level, msg, fields);
  if (level === 'error') console.error(text);
  else if (level === 'warn') console.warn(text);
  else console.log(text);
}

export const log = {
  debug: (msg: string, fields?: LogFields) => write('debug', msg, fields),
  info: (msg: string, fields?: LogFields) => write('info', msg, fields),
  warn: (msg: string, fields?: LogFields) => write('warn', msg, fields),
  error: (msg: string, fields?: LogFields) => write('error', msg, fields),
};
