// Which form field an API error is about, so forms show the message next to that field.
import { ApiError } from '../api/client';

/** Field-level messages of a 400 INVALID_INPUT answer, by field name (tolerates several detail shapes). */
export function fieldErrors(error: unknown, known?: readonly string[]): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  const d = error.details as Record<string, unknown>;
  const fields = d.fields ?? d.fieldErrors ?? d.issues;
  if (Array.isArray(fields)) {
    for (const f of fields as Array<{ path?: unknown; field?: string; message?: string }>) {
      const key = f.field ?? (Array.isArray(f.path) ? String(f.path[0]) : typeof f.path === 'string' ? f.path : undefined);
      if (key && f.message && !out[key]) out[key] = f.message;
    }
  } else if (fields && typeof fields === 'object') {
    for (const [k, v] of Object.entries(fields as Record<string, unknown>)) {
      out[k] = Array.isArray(v) ? String(v[0]) : String(v);
    }
  }
  if (typeof d.field === 'string' && !out[d.field]) out[d.field] = error.message;
  // The API's validator names the first bad field in its message: "Invalid capacity: must be at most 50."
  const named = /^Invalid ([A-Za-z][\w.]*): (.+?)\.?$/.exec(error.message);
  if (named && error.code === 'INVALID_INPUT' && !out[named[1]!]) out[named[1]!] = named[2]!;
  // …or leads with it: "password: The password must be at least 10 characters."
  const led = /^([A-Za-z][\w.]*): (.+)$/.exec(error.message);
  if (led && !named && error.code === 'INVALID_INPUT' && !out[led[1]!]) out[led[1]!] = led[2]!;
  if (!known) return out;
  return Object.fromEntries(Object.entries(out).filter(([k]) => known.includes(k)));
}
