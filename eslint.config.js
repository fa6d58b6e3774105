import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/.wrangler/**', '.data/**', 'worker-configuration.d.ts', 'test-results/**', 'migrations/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  // Test helpers read arbitrary JSON bodies; production code keeps `any` out.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
