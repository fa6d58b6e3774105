// The catalog parts that load with their screens (src/ui/i18n/parts.ts): every key a screen's code uses is
// in the core (what the scanner page ships) or in a part that screen names in app.tsx (`withParts`), and the
// scanner page's own code uses only the core. Read from the source: each screen's files are what its lazy
// import reaches through static imports; a key is any string literal that is a catalog key, and a
// `prefix.${…}` template needs every key under that prefix.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/ui/i18n/en';
import { core } from '../../../src/ui/i18n/en/core';
import { PARTS, type PartName } from '../../../src/ui/i18n/parts';

const UI = join(__dirname, '../../../src/ui');
const ALL_KEYS = Object.keys(en);

function resolve(from: string, spec: string): string | undefined {
  const base = join(dirname(from), spec);
  return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => existsSync(p) && /\.tsx?$/.test(p));
}

const source = (file: string) => readFileSync(file, 'utf8');
const staticImports = (file: string) =>
  [...source(file).matchAll(/^(?:import|export)\s+(?!type\s)(?:[^;]*?\sfrom\s+)?'(\.[^']+)'/gm)].flatMap((m) => resolve(file, m[1]!) ?? []);
const dynamicImports = (file: string) => [...source(file).matchAll(/import\('(\.[^']+)'\)/g)].flatMap((m) => resolve(file, m[1]!) ?? []);

/** The files a chunk's code reaches through static imports (the catalogs themselves left out). */
function reach(roots: string[], seen = new Set<string>()): Set<string> {
  for (const file of roots) {
    if (seen.has(file) || file.startsWith(join(UI, 'i18n'))) continue;
    seen.add(file);
    reach(staticImports(file), seen);
  }
  return seen;
}

/** The catalog keys a file uses. */
function keysIn(file: string): string[] {
  const text = source(file);
  const literal = [...text.matchAll(/'([\w.-]+)'/g)].map((m) => m[1]!).filter((k) => k in en);
  const templated = [...text.matchAll(/`([\w.]+\.)\$\{/g)].flatMap((m) => ALL_KEYS.filter((k) => k.startsWith(m[1]!)));
  return [...new Set([...literal, ...templated])];
}

function unavailable(files: Iterable<string>, allowed: Set<string>): string[] {
  return [...files].flatMap((file) => keysIn(file).filter((k) => !allowed.has(k)).map((k) => `${relative(UI, file)}: ${k}`));
}

const app = join(UI, 'app.tsx');
const screens = [...source(app).matchAll(/lazy\(\(\) => withParts\(\[([^\]]*)\], \(\) => import\('([^']+)'\)\)\)/g)].map((m) => ({
  parts: [...m[1]!.matchAll(/'(\w+)'/g)].map((p) => p[1] as PartName),
  file: resolve(app, m[2]!)!,
}));
const coreKeys = new Set(Object.keys(core));

describe('catalog parts', () => {
  it('every lazy screen but the scanner names its parts', () => {
    expect(source(app).match(/lazy\(/g)?.length).toBe(screens.length + 1);
    expect(screens.length).toBeGreaterThan(10);
    for (const s of screens) for (const p of s.parts) expect(Object.keys(PARTS)).toContain(p);
  });

  it("the scanner page's code uses only the core (the shell's, the scanner's and the shared words)", () => {
    const scanner = join(UI, 'screens/scanner/ScannerScreen.tsx');
    const files = reach([join(UI, 'main.tsx'), scanner]);
    // Its own on-demand chunks (the camera) carry no parts either.
    for (const file of [...files]) for (const lazy of dynamicImports(file)) if (!lazy.startsWith(join(UI, 'screens/')) || lazy.startsWith(join(UI, 'screens/scanner'))) reach([lazy], files);
    expect(files.has(join(UI, 'shell/Shell.tsx'))).toBe(true);
    expect(unavailable(files, coreKeys)).toEqual([]);
  });

  it('each screen finds every key it uses in the core or in the parts it names', async () => {
    const missing: string[] = [];
    for (const s of screens) {
      const allowed = new Set(coreKeys);
      for (const p of s.parts) for (const k of Object.keys(await PARTS[p].en())) allowed.add(k);
      missing.push(...unavailable(reach([s.file]), allowed).map((m) => `${relative(UI, s.file)} → ${m}`));
    }
    expect(missing).toEqual([]);
  });
});
