// What the asset server (wrangler dev, as in production) answers for the page and for Vite's hashed files:
// src/ui/public/_headers must reach the browser, not just sit in the build.
import { describe, expect, it } from 'vitest';
import { baseUrl } from './helpers';

async function head(path: string): Promise<Response> {
  const res = await fetch(new URL(path, baseUrl()));
  await res.arrayBuffer();
  return res;
}

describe('static asset caching', () => {
  it('hashed assets are immutable for a year; the page itself is revalidated on every load', async () => {
    const page = await head('/');
    expect(page.status).toBe(200);
    const html = await (await fetch(new URL('/', baseUrl()))).text();
    const script = html.match(/<script[^>]+src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script, 'the page loads a hashed script').toBeTruthy();

    const asset = await head(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');

    for (const path of ['/', '/index.html', '/scan']) {
      const res = await head(path);
      expect(res.headers.get('cache-control'), path).not.toContain('immutable');
      expect(res.headers.get('cache-control'), path).toMatch(/max-age=0|no-cache|no-store/);
    }
  });
});
