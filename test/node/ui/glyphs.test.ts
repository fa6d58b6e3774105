// Icons and symbols that every font can draw: the UI's text may use only the symbols below, each checked
// present in DejaVu Sans (Debian's fonts-dejavu-core, the font Debian's Chromium falls back to) and in the
// usual phone and desktop fonts. A glyph that is missing draws as an empty box (the old Bills icon, U+2398, did);
// pictures that are not text are inline SVG (src/ui/shell/icons.tsx). Devanagari has its own font (styles.css).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// ★ (bag complete) and ▴ ▾ (a scan answer's details open / closed): in DejaVu Sans (fc-list ':charset=2605'),
// in the same blocks as ☺ ⚙ and ▲ ◉ above.
const ALLOWED = new Set([...'·–—•…ℹ←→↔↶↻⇩≡≥▢▣▤▦▲▴▾◉○◌●◔★☺⚙⚠✓✔✕✖“”’×€₹°']);
// Devanagari letters and signs, and the joiners Hindi text uses, are drawn by the Devanagari font.
const DEVANAGARI = /[\u0900-\u097F\u200C\u200D]/u;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(tsx?|css|html)$/.test(name) ? [path] : [];
  });
}

describe('glyphs on screen', () => {
  it('uses only symbols that common fonts have', () => {
    const unknown = new Map<string, string>();
    for (const file of files('src/ui')) {
      for (const ch of readFileSync(file, 'utf8')) {
        if (ch.codePointAt(0)! < 0x80 || DEVANAGARI.test(ch) || ALLOWED.has(ch)) continue;
        if (!unknown.has(ch)) unknown.set(ch, `${file} U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
      }
    }
    expect([...unknown.entries()]).toEqual([]);
  });
});
