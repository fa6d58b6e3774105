import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HSTS, STATIC_SECURITY_HEADERS } from '../../../src/worker/http/security-policy';

/** A Cloudflare `_headers` file as path pattern → (header name → value). */
function parseHeadersFile(text: string): Record<string, Record<string, string>> {
  const rules: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      current = rules[line.trim()] = {};
      continue;
    }
    if (!current) throw new Error(`header outside a path block: ${line}`);
    const i = line.indexOf(':');
    current[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return rules;
}

/** The platform's rule: a `*` in a pattern matches any run of characters, including `/`. */
function matches(pattern: string, path: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(path);
}

/** The headers a path gets from the file (values of several matching rules are joined, as the platform does). */
function headersFor(rules: Record<string, Record<string, string>>, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [pattern, headers] of Object.entries(rules)) {
    if (!matches(pattern, path)) continue;
    for (const [name, value] of Object.entries(headers)) out[name] = out[name] ? `${out[name]}, ${value}` : value;
  }
  return out;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const rules = parseHeadersFile(readFileSync('src/ui/public/_headers', 'utf8'));

describe('static asset headers', () => {
  it('src/ui/public/_headers sends the same security headers as the Worker', () => {
    expect(rules['/*']).toEqual({ ...STATIC_SECURITY_HEADERS, 'Strict-Transport-Security': HSTS });
  });

  it('the CSP allows no inline or eval script, and no framing', () => {
    const csp = STATIC_SECURITY_HEADERS['Content-Security-Policy']!;
    const script = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'))!;
    // No inline or eval JavaScript; WebAssembly compilation only (the camera's fallback decoder).
    expect(script).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('the built UI has no inline script (the CSP would block it)', () => {
    const built = 'dist/ui/index.html';
    const html = readFileSync(existsSync(built) ? built : 'src/ui/index.html', 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it("Vite's hashed files are cached for a year; index.html and app routes are revalidated on every load", () => {
    const asset = headersFor(rules, '/assets/index-DO4HzP19.js');
    expect(asset['Cache-Control']).toBe(IMMUTABLE);
    expect(asset['X-Frame-Options']).toBe('DENY');
    // No Cache-Control from the file: the platform's default (max-age=0, must-revalidate) applies.
    // /sw.js too: the service worker has one name across builds, so browsers must revalidate it.
    for (const path of ['/', '/index.html', '/scan', '/board', '/_headers', '/assetsX/a.js', '/sw.js']) {
      expect(headersFor(rules, path)['Cache-Control'], path).toBeUndefined();
    }
  });

  it.runIf(existsSync('dist/ui/index.html'))('every built file under /assets has a content hash in its name (so immutable is safe)', () => {
    const files = readdirSync('dist/ui/assets');
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file, file).toMatch(/-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/);
    // And nothing else in the build is hashed, i.e. outside the immutable rule (the service worker keeps
    // its name across builds; its contents name the build).
    const top = readdirSync('dist/ui').filter((f) => f !== 'assets' && !f.startsWith('.'));
    expect(top.sort()).toEqual(['_headers', 'index.html', 'sw.js']);
  });
});
