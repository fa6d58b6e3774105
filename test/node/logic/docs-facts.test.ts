// Facts the docs state about the code, checked against the code so they cannot drift again (the README once
// said "two patches" where there were three; ARCHITECTURE.md said fixed windows for a sliding-window limiter).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const architecture = readFileSync('docs/ARCHITECTURE.md', 'utf8');
const readme = readFileSync('README.md', 'utf8');

/** `@scope+name+1.2.3.patch` → { name: '@scope/name', version: '1.2.3' } (patch-package's file naming). */
function patchedPackage(file: string): { name: string; version: string } {
  const parts = file.replace(/\.patch$/, '').split('+');
  const version = parts.pop()!;
  return { name: parts.join('/'), version };
}

function section(text: string, heading: string): string {
  const start = text.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const next = text.indexOf('\n## ', start + heading.length);
  return text.slice(start, next === -1 ? undefined : next);
}

describe('docs match the code', () => {
  const patches = readdirSync('patches').filter((f) => f.endsWith('.patch'));
  const listed = section(architecture, '### Patches').split('\nDropped:')[0]!;
  const bullets = listed.split('\n- ').slice(1);

  it('ARCHITECTURE.md lists every patch, with its version and the upstream issue it works around', () => {
    expect(bullets).toHaveLength(patches.length);
    for (const file of patches) {
      const { name, version } = patchedPackage(file);
      const bullet = bullets.find((b) => b.startsWith(`\`${name}\``));
      expect(bullet, `no entry for ${name}`).toBeDefined();
      expect(bullet).toContain(version);
      expect(bullet).toMatch(/https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/issues\/\d+/);
    }
  });

  it('the README does not state a number of patches other than the real one', () => {
    const words = ['no', 'one', 'two', 'three', 'four', 'five', 'six'];
    for (const m of readme.matchAll(/\b(no|one|two|three|four|five|six|\d+)\s+(?:small\s+)?(?:upstream\s+)?(?:patch(?:es)?|fixes)\b/gi)) {
      const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : words.indexOf(m[1]!.toLowerCase());
      expect(n, m[0]).toBe(patches.length);
    }
  });

  it('no doc calls the RateLimiter windows fixed: they slide (src/durable/limiter/rate-limiter.ts)', () => {
    expect(readFileSync('src/durable/limiter/rate-limiter.ts', 'utf8')).toMatch(/sliding-window counters/);
    for (const [name, text] of [['docs/ARCHITECTURE.md', architecture], ['docs/SECURITY.md', readFileSync('docs/SECURITY.md', 'utf8')], ['README.md', readme]]) {
      expect(text, name).not.toMatch(/fixed[^.]{0,40}windows?\b/i);
    }
  });
});
