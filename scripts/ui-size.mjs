// `npm run size`: the JavaScript the scanner page loads, gzip-compressed, against its budget (PRODUCT.md
// "Budgets": 60 KB gzip). Reads Vite's manifest after `vite build`: the entry chunk and its static imports,
// plus the scanner screen's lazy chunk and its static imports. Chunks loaded only on demand (the camera,
// its decoder, other screens) are listed apart and do not count. Exits 1 above the budget.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const DIST = 'dist/ui';
const MANIFEST = `${DIST}/.vite/manifest.json`;
const SCANNER_SRC = 'screens/scanner/ScannerScreen.tsx';
const BUDGET_BYTES = 60 * 1024;

if (!existsSync(MANIFEST)) {
  console.error(`${MANIFEST} not found: run \`vite build\` first (build.manifest is on in vite.config.ts).`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
if (!entryKey || !manifest[SCANNER_SRC]) {
  console.error(`The manifest has no ${entryKey ? SCANNER_SRC : 'entry chunk'}.`);
  process.exit(1);
}

/** A chunk and everything it imports statically (what the browser must fetch before running it). */
function withStaticImports(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key].imports ?? []) withStaticImports(dep, seen);
  return seen;
}

const counted = withStaticImports(SCANNER_SRC, withStaticImports(entryKey));
const sizeOf = (file) => {
  const bytes = readFileSync(`${DIST}/${file}`);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const label = (key) => (manifest[key].isEntry ? `${key} (entry chunk)` : key);
const rows = [...counted].map((key) => ({ chunk: label(key), file: manifest[key].file, ...sizeOf(manifest[key].file) }));
const total = rows.reduce((sum, r) => ({ raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip }), { raw: 0, gzip: 0 });
const onDemand = Object.keys(manifest)
  .filter((k) => !counted.has(k) && manifest[k].file.endsWith('.js'))
  .map((key) => ({ chunk: key, file: manifest[key].file, ...sizeOf(manifest[key].file) }));

const pad = (s, n) => String(s).padEnd(n);
const padL = (s, n) => String(s).padStart(n);
console.log('Scanner page JavaScript (entry + scanner screen, with their static imports):');
console.log(`  ${pad('chunk', 52)} ${padL('raw', 10)} ${padL('gzip', 10)}`);
for (const r of rows.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${pad(r.chunk, 52)} ${padL(kb(r.raw), 10)} ${padL(kb(r.gzip), 10)}`);
console.log(`  ${pad('TOTAL', 52)} ${padL(kb(total.raw), 10)} ${padL(kb(total.gzip), 10)}   budget ${kb(BUDGET_BYTES)} gzip`);
const camera = onDemand.filter((r) => /Camera|ponyfill|zxing/i.test(r.chunk + r.file));
if (camera.length) {
  console.log('Loaded only when the camera opens (not counted):');
  for (const r of camera) console.log(`  ${pad(r.chunk, 52)} ${padL(kb(r.raw), 10)} ${padL(kb(r.gzip), 10)}`);
  // The decoder itself is a WebAssembly asset, fetched from our origin only when no native detector exists.
  const wasm = new Set(Object.values(manifest).flatMap((c) => c.assets ?? []).filter((f) => f.endsWith('.wasm')));
  for (const file of wasm) {
    const r = sizeOf(file);
    console.log(`  ${pad(file, 52)} ${padL(kb(r.raw), 10)} ${padL(kb(r.gzip), 10)}`);
  }
}
if (total.gzip > BUDGET_BYTES) {
  console.error(`Over budget: ${kb(total.gzip)} gzip > ${kb(BUDGET_BYTES)}.`);
  process.exit(1);
}
console.log(`Within budget (${Math.round((total.gzip / BUDGET_BYTES) * 100)} % used).`);
