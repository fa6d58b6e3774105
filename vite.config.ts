import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';

/**
 * The scanner is where most sessions start and must be ready within 2 s on a 3G-like network: let the page
 * fetch its lazy chunk (and stylesheet) together with the entry instead of one round trip later.
 */
function preloadScanner(): Plugin {
  return {
    name: 'tracetrack-preload-scanner',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/screens/scanner/ScannerScreen.tsx'));
        if (!chunk || chunk.type !== 'chunk') return [];
        const css = [...(chunk.viteMetadata?.importedCss ?? [])];
        return [
          { tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${chunk.fileName}` }, injectTo: 'head' },
          // A plain stylesheet, not `preload as=style`: on every other page a preload that is never applied
          // makes Chromium warn ("preloaded but not used"). It is small and styles only the scanner's classes;
          // the chunk's loader sees the link is there and does not add it twice.
          ...css.map((href) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `/${href}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

export default defineConfig({
  root: 'src/ui',
  plugins: [preact(), preloadScanner()],
  // The manifest tells scripts/ui-size.mjs which chunks the scanner page loads. Every file Vite writes to
  // assets/ has a content hash in its name: src/ui/public/_headers lets browsers cache that folder for a year.
  build: { outDir: '../../dist/ui', emptyOutDir: true, manifest: true, assetsDir: 'assets' },
});
