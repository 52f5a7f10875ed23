// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const nodeBuiltins = require('node:module').builtinModules.flatMap((m) => [m, `node:${m}`]);

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.cache/**', 'test-output/**', 'apps/web/dist/**', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // The web UI has its own compiler settings (DOM, JSX, bundler resolution): lint it with its own project.
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    languageOptions: { parserOptions: { projectService: false, project: ['apps/web/tsconfig.json'], tsconfigRootDir: __dirname } },
  },
  {
    // Nest resolves constructor parameters from emitted metadata, so those imports must stay values.
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts', 'deploy/**/*.ts'],
    ignores: ['apps/web/**'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Nest, no other SDK packages.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'pg', '@temporalio/client', '@temporalio/worker', '@temporalio/testing', '@temporalio/activity'], message: 'Workflow code may import only @temporalio/workflow and pure modules.' },
            { group: ['@app/persistence', '@app/notifications', '@app/config', '@app/temporal', '@app/plan-parser'], message: 'Workflow code may import only pure modules.' },
          ],
        },
      ],
    },
  },
);
