// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const path = require('node:path');

const nodeBuiltins = require('node:module').builtinModules.flatMap((m) => [m, `node:${m}`]);

/**
 * Workflow code runs in Temporal's deterministic sandbox, so what it may import is an allow-list checked on the
 * module an import resolves to, whether it is spelled as an alias or as a relative path: the workflow SDK, the
 * domain and the contracts (libs/domain/src, libs/contracts/src) and workflows/ itself. Relative paths are how
 * workflows reach the libraries, since Temporal's bundler does not read tsconfig paths (docs/api-contract.md).
 */
const WORKFLOW_PACKAGES = new Set(['@temporalio/workflow']);
const WORKFLOW_DIRS = ['workflows', 'libs/domain/src', 'libs/contracts/src'].map((d) => path.join(__dirname, d));
const ALIASES = Object.entries(require('./tsconfig.json').compilerOptions.paths).map(([alias, [target]]) => ({
  prefix: alias.replace(/\*$/, ''),
  wildcard: alias.endsWith('*'),
  target: path.join(__dirname, target.replace(/\*$/, '')),
}));

function resolveSpecifier(fromFile, specifier) {
  if (specifier.startsWith('.')) return path.resolve(path.dirname(fromFile), specifier);
  const alias = ALIASES.find((a) => (a.wildcard ? specifier.startsWith(a.prefix) : specifier === a.prefix));
  if (alias) return alias.wildcard ? path.join(alias.target, specifier.slice(alias.prefix.length)) : alias.target;
  return null;
}

const workflowImports = {
  meta: { type: 'problem', schema: [], messages: { denied: "Workflow code may import only @temporalio/workflow, the domain and the contracts, not '{{specifier}}'." } },
  create(context) {
    const check = (node) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const specifier = node.value;
      const target = resolveSpecifier(context.filename, specifier);
      const allowed = target === null ? WORKFLOW_PACKAGES.has(specifier) : WORKFLOW_DIRS.some((d) => target === d || target.startsWith(d + path.sep));
      if (!allowed) context.report({ node, messageId: 'denied', data: { specifier } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
    };
  },
};

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
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Nest, no other SDK packages (see above).
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.spec.ts'],
    plugins: { dondoc: { rules: { 'workflow-imports': workflowImports } } },
    rules: { 'dondoc/workflow-imports': 'error' },
  },
);
