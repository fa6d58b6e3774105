// The script font a language needs, made ready before the language is shown: text drawn while a web font is
// still loading shows empty boxes for Devanagari (the fallback fonts have none), and Chromium does not always
// redraw it once the font arrives (seen on the fixed bottom bar). The font is the device's own when it has
// one (local() in styles.css) or ours; a slow network waits at most FONT_WAIT_MS, then the app goes on.
const FONT_WAIT_MS = 1500;

// globalThis keeps this file free of DOM types: the catalogs load in plain Node tests too.
type FontSet = { load(font: string, text?: string): Promise<unknown> };

export async function loadScriptFont(lang: string): Promise<void> {
  const fonts = (globalThis as { document?: { fonts?: FontSet } }).document?.fonts;
  if (lang !== 'hi' || !fonts) return;
  const sample = 'हिन्दी';
  const ready = Promise.all([fonts.load(`400 1em "TT Devanagari"`, sample), fonts.load(`700 1em "TT Devanagari"`, sample)]);
  await Promise.race([ready.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, FONT_WAIT_MS))]);
}
