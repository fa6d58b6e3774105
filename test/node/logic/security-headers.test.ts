import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HSTS, STATIC_SECURITY_HEADERS } from '../../../src/worker/http/security-policy';

/** The `/*` block of a Cloudflare `_headers` file as a name → value map. */
function parseHeadersFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inBlock = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      inBlock = line.trim() === '/*';
      continue;
    }
    if (!inBlock) continue;
    const i = line.indexOf(':');
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

describe('static asset headers', () => {
  it('src/ui/public/_headers sends the same security headers as the Worker', () => {
    const file = parseHeadersFile(readFileSync('src/ui/public/_headers', 'utf8'));
    expect(file).toEqual({ ...STATIC_SECURITY_HEADERS, 'Strict-Transport-Security': HSTS });
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
});
