import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  root: 'src/ui',
  plugins: [preact()],
  // The manifest tells scripts/ui-size.mjs which chunks the scanner page loads.
  build: { outDir: '../../dist/ui', emptyOutDir: true, manifest: true },
});
