// GET /api/openapi.json and GET /api/docs: the HTTP contract, without sign-in (it names no data, only
// shapes; every operation still checks its own access).
import { Hono } from 'hono';
import { settings } from '../../config/settings';
import { openApiDocument } from '../openapi/document';
import { OPERATIONS } from '../openapi/operations';
import { referenceHtml } from '../openapi/reference-html';
import type { AppEnv } from '../types';

let html: string | null = null;

export const openApiRoutes = new Hono<AppEnv>()
  .get('/openapi.json', (c) => c.json(openApiDocument(settings(c.env).GIT_REVISION), 200, { 'Cache-Control': 'public, max-age=300' }))
  .get('/docs', (c) => {
    html ??= referenceHtml(openApiDocument(settings(c.env).GIT_REVISION), OPERATIONS);
    return c.html(html, 200, { 'Cache-Control': 'public, max-age=300' });
  });
