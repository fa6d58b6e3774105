import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** `import … from '../../<folder>/…'` out of the current layer into `folder`. */
const into = (folders, message) => ({ regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`, message });
const runtimeOnly = { regex: '^cloudflare:', message: 'workerd-only: keep it in src/durable, src/worker or a src/db/*.workerd.ts file.' };

function layerRules() {
  const rule = (patterns) => ({ rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } });
  return [
    { files: ['src/shared/**'], ...rule([into(['worker', 'durable', 'db', 'config', 'ui'], 'src/shared is a leaf: it imports only npm packages.'), runtimeOnly]) },
    { files: ['src/config/**'], ...rule([into(['worker', 'durable', 'db', 'ui'], 'src/config may import src/shared only.'), runtimeOnly]) },
    { files: ['src/db/**'], ignores: ['src/db/**/*.workerd.ts'], ...rule([into(['worker', 'durable', 'ui'], 'src/db may import src/config and src/shared only.'), runtimeOnly]) },
    { files: ['src/db/**/*.workerd.ts'], ...rule([into(['worker', 'durable', 'ui'], 'src/db may import src/config and src/shared only.')]) },
    { files: ['src/durable/**'], ...rule([into(['worker', 'ui'], 'src/durable may import src/db, src/config and src/shared, never the Worker or the UI.')]) },
    {
      files: ['src/worker/**'],
      ...rule([
        into(['ui'], 'The Worker does not import the UI.'),
        {
          regex: '^(\\.\\./)+durable/(?!(stubs|auth/revocation|registry/shard)$)',
          allowTypeImports: true,
          message: 'The Worker reaches objects through src/durable/stubs.ts (and auth/revocation.ts, registry/shard.ts); take anything else from src/durable as `import type`.',
        },
      ]),
    },
    { files: ['src/ui/**'], ...rule([into(['worker', 'durable', 'db', 'config'], 'The UI may import src/shared only.'), runtimeOnly]) },
  ];
}

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
  // Layers (docs/ARCHITECTURE.md "Layers"): worker → durable → db → config → shared; ui → shared only;
  // shared is a leaf. Relative imports are matched by the top folder they climb into. The Worker may call
  // objects only through durable/stubs.ts (and the revocation client, and registry/shard's pure hash); anything
  // else it takes from durable must be a type (`import type`); worker/index.ts re-exports the object classes
  // from durable/index.ts ('../durable') for wrangler. Only db/*.workerd.ts may use workerd's sockets.
  ...layerRules(),
  // Build configs belong to no program: lint them without types.
  { files: ['vite.config.ts', 'vitest.workers.config.ts'], extends: [tseslint.configs.disableTypeChecked] },
  // Test helpers read arbitrary JSON bodies; production code keeps `any` out.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);

