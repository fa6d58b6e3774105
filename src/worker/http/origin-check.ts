// Cross-site request forgery and cross-site WebSocket hijacking defence, plus CORS (closed by default).
// A state-changing request (POST/PUT/PATCH/DELETE) or WebSocket upgrade that names an Origin must name this
// app's own origin or one listed in ALLOWED_ORIGINS. Without an Origin header, only requests that carry no
// session cookie pass (devices and scripts use bearer tokens and send no Origin; a browser always sends
// one on a cross-site POST, so a cookie without an Origin is not a browser we can trust).
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors';
import { SESSION_COOKIE } from '../auth/session-refresh';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import { allowedOrigins } from './allowed-origins';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isAllowed(c: Context<AppEnv>, origin: string): boolean {
  return origin === new URL(c.req.url).origin || allowedOrigins(settings(c.env).ALLOWED_ORIGINS).has(origin);
}

function corsHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': 'X-Request-Id, X-Session-Token, X-Session-Expires, Retry-After',
    Vary: 'Origin',
  };
}

export const originCheck = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('Origin');
  const listed = origin !== undefined && origin !== new URL(c.req.url).origin && allowedOrigins(settings(c.env).ALLOWED_ORIGINS).has(origin);
  if (c.req.method === 'OPTIONS' && listed && c.req.header('Access-Control-Request-Method')) {
    return c.body(null, 204, {
      ...corsHeaders(origin),
      'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Request-Id',
      'Access-Control-Max-Age': '600',
    });
  }
  const upgrade = c.req.header('Upgrade')?.toLowerCase() === 'websocket';
  if (STATE_CHANGING.has(c.req.method) || upgrade) {
    if (origin !== undefined) {
      if (!isAllowed(c, origin)) throw new AppError('FORBIDDEN', 'This request comes from an origin that is not allowed.');
    } else if (getCookie(c, SESSION_COOKIE) !== undefined && !c.req.header('Authorization')?.startsWith('Bearer ')) {
      throw new AppError('FORBIDDEN', 'A request signed in with a cookie must carry an Origin header.');
    }
  }
  await next();
  if (listed) {
    for (const [name, value] of Object.entries(corsHeaders(origin))) {
      try {
        c.res.headers.set(name, value);
      } catch {
        // immutable headers (a relayed upgrade answer)
      }
    }
  }
});
