// The compile-time alias rewrite (deploy/local/aliases.js) that `nest build` and run-ts.js share.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { aliasTransformer } = require('./aliases.js') as { aliasTransformer: (o: ts.CompilerOptions) => ts.TransformerFactory<ts.SourceFile> };

const ROOT = resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { paths } = (require('../../tsconfig.json') as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions;
const options: ts.CompilerOptions = { baseUrl: ROOT, paths, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 };

function compile(source: string, fileName: string): string {
  return ts.transpileModule(source, { compilerOptions: options, fileName, transformers: { before: [aliasTransformer(options)] } }).outputText;
}

const requires = (js: string): string[] => [...js.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);

describe('alias rewrite', () => {
  const file = join(ROOT, 'apps/cli/src/example.ts');

  it('rewrites imports, re-exports, import() and require() of @app aliases to paths relative to the file', () => {
    const js = compile(
      [
        "import { parseConfig } from '@app/config';",
        "export { activationProgressQuery } from '@app/contracts/workflow';",
        "export const later = () => import('@app/persistence');",
        "export const now = require('@app/temporal');",
        'export const c = parseConfig;',
      ].join('\n'),
      file,
    );
    expect(requires(js).sort()).toEqual(
      ['../../../libs/config/src', '../../../libs/persistence/src', '../../../libs/temporal/src', '../../../libs/contracts/src/workflow'].sort(),
    );
    expect(js).not.toContain('@app/');
  });

  it('leaves packages, node: modules and relative paths alone', () => {
    const js = compile("import { join } from 'node:path';\nimport { z } from 'zod';\nimport { x } from './x';\nexport const y = [join, z, x];", file);
    expect(requires(js)).toEqual(['node:path', 'zod', './x']);
  });

  it('gives paths that exist from the source file, and so from its mirror in dist/', () => {
    for (const [alias] of Object.entries(paths)) {
      const specifier = alias.endsWith('/*') ? `${alias.slice(0, -1)}contracts` : alias;
      const [rewritten] = requires(compile(`import * as m from '${specifier}';\nexport const n = m;`, file));
      const target = resolve(dirname(file), rewritten!);
      expect([target, `${target}.ts`, join(target, 'index.ts')].some((p) => existsSync(p))).toBe(true);
    }
  });
});
