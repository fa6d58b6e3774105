// The UI's only way to the API: same-origin fetch with the session cookie, JSON in and out, and every error
// turned into an ApiError carrying the contract's code, message and details (see API.md "Conventions").
import type { ErrorResponse } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
  /** The network never answered (offline, DNS, reset): callers may queue and retry. */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

/** Called when any request answers 401, so the app can return to the sign-in screen. */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

/** The server ended this session some other way (a socket closed with "signed out"): back to sign-in. */
export function reportSignedOut(): void {
  onUnauthenticated?.();
}

/** Runs before every sign-in request (a sign-out made offline must reach the server before the new session). */
let beforeSignIn: (() => Promise<void>) | null = null;
export function setBeforeSignIn(fn: () => Promise<void>): void {
  beforeSignIn = fn;
}
const SIGN_IN_PATHS = new Set(['/api/auth/login', '/api/auth/token']);

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** `Cache-Control: no-cache`: figures read now, not a server-side snapshot (the board after a push). */
  fresh?: boolean;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, signal, fresh } = options;
  if (beforeSignIn && SIGN_IN_PATHS.has(path)) await beforeSignIn();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(fresh ? { 'Cache-Control': 'no-cache' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'No connection to the server.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data as ErrorResponse | null)?.error;
    if (response.status === 401 && !path.startsWith('/api/auth/')) onUnauthenticated?.();
    const { code, message, ...details } = error ?? { code: `HTTP_${response.status}`, message: `The server answered ${response.status}.` };
    throw new ApiError(response.status, code, message, details);
  }
  return data as T;
}

/** Query string from a filter object, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
