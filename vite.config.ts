import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  root: 'src/ui',
  plugins: [preact()],
  build: { outDir: '../../dist/ui', emptyOutDir: true },
});
