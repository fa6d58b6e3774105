import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', '**/.wrangler/**', '.data/**', 'worker-configuration.d.ts', 'test-results/**', 'migrations/**'] },
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  // Type-aware rules for promises: an un-awaited promise in a Durable Object or a request handler is a write
  // nobody waits for (lost on eviction, its error unhandled). Fire-and-forget must be written `void p` with a
  // comment saying why.
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        // Three programs (Worker, Node scripts and tests, UI); each file is checked with the one that includes it.
        project: ['./tsconfig.json', './tsconfig.node.json', './tsconfig.ui.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
    },
  },
  // Build configs belong to no program: lint them without types.
  { files: ['vite.config.ts', 'vitest.workers.config.ts'], extends: [tseslint.configs.disableTypeChecked] },
  // Test helpers read arbitrary JSON bodies; production code keeps `any` out.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
