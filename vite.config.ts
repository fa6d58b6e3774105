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
          ...css.map((href) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `/${href}` }, injectTo: 'head' as const })),
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
  // The manifest tells scripts/ui-size.mjs which chunks the scanner page loads.
  build: { outDir: '../../dist/ui', emptyOutDir: true, manifest: true },
});
