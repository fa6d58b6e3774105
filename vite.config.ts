import { defineConfig, type Plugin, type Rolldown } from 'vite';
import preact from '@preact/preset-vite';

/**
 * The scanner is where most sessions start and must be ready within 2 s on a 3G-like network: let the page
 * fetch its lazy chunk, the chunks it imports (shared with other screens, so split out) and its stylesheet
 * together with the entry, instead of one round trip later each.
 */
/** The scanner chunk and its static imports, less those the entry already loads (Vite preloads those). */
function scannerChunks(bundle: Rolldown.OutputBundle, scanner: string): string[] {
  const reach = (from: string[], seen = new Set<string>()): Set<string> => {
    for (const name of from) {
      const c = bundle[name];
      if (seen.has(name) || !c || c.type !== 'chunk') continue;
      seen.add(name);
      reach(c.imports, seen);
    }
    return seen;
  };
  const entry = reach(Object.values(bundle).flatMap((c) => (c.type === 'chunk' && c.isEntry ? [c.fileName] : [])));
  return [...reach([scanner])].filter((name) => !entry.has(name));
}

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
          ...scannerChunks(ctx.bundle ?? {}, chunk.fileName).map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const })),
          // A plain stylesheet, not `preload as=style`: on every other page a preload that is never applied
          // makes Chromium warn ("preloaded but not used"). It is small and styles only the scanner's classes;
          // the chunk's loader sees the link is there and does not add it twice.
          ...css.map((href) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `/${href}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

/**
 * The app-shell service worker (src/ui/sw/service-worker.js), written as /sw.js with the list of this build's
 * files to precache (all but the camera's decoder, fetched only when a camera is used) and a build id.
 */
function serviceWorker(): Plugin {
  return {
    name: 'tracetrack-service-worker',
    // Whether the page registers it is decided here, by the command, not by NODE_ENV (import.meta.env.PROD):
    // a build run with NODE_ENV=test (under vitest, some CI) must still ship a working service worker.
    config: (_config, { command }) => ({ define: { __SERVICE_WORKER__: JSON.stringify(command === 'build') } }),
    async generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.wasm') && !f.endsWith('.map') && !f.startsWith('.vite/') && f !== '_headers');
      const precache = ['/', ...files.filter((f) => f !== 'index.html').map((f) => `/${f}`)];
      const { readFile } = await import('node:fs/promises');
      const { createHash } = await import('node:crypto');
      const source = await readFile(new URL('./src/ui/sw/service-worker.js', import.meta.url), 'utf8');
      const buildId = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: `self.__PRECACHE__ = ${JSON.stringify(precache)};\nself.__BUILD_ID__ = ${JSON.stringify(buildId)};\n${source}`,
      });
    },
  };
}

export default defineConfig({
  root: 'src/ui',
  plugins: [preact(), preloadScanner(), serviceWorker()],
  // The manifest tells scripts/ui-size.mjs which chunks the scanner page loads. Every file Vite writes to
  // assets/ has a content hash in its name: src/ui/public/_headers lets browsers cache that folder for a year.
  build: {
    outDir: '../../dist/ui',
    emptyOutDir: true,
    manifest: true,
    assetsDir: 'assets',
    rolldownOptions: {
      output: {
        // Preact and the small modules every scanning screen shares travel as one chunk: the scanner page then
        // needs six requests after its HTML (one round on a browser's six connections), not ten.
        codeSplitting: { groups: [{ name: 'common', test: /node_modules\/(preact|@preact)\/|src\/ui\/(components\/ScanInput|i18n\/speech|lib\/reconnecting-socket)/ }] },
      },
    },
  },
});
