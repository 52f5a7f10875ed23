'use strict';
// Runs a TypeScript entry point without a build: each .ts file is transpiled on require with the
// project's compiler options (no type check; `npm run typecheck` does that), and @app/* aliases
// resolve through tsconfig-paths. Usage: node deploy/local/run-ts.js <file.ts> [args...]
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const tsconfigPaths = require('tsconfig-paths');

const root = path.resolve(__dirname, '..', '..');
const configFile = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
if (configFile.error) {
  process.stderr.write(`${ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n')}\n`);
  process.exit(1);
}
const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
const compilerOptions = {
  ...parsed.options,
  module: ts.ModuleKind.CommonJS,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
  declaration: false,
  noEmit: false,
};

tsconfigPaths.register({ baseUrl: parsed.options.baseUrl || root, paths: parsed.options.paths || {} });
// Stack traces point at the .ts lines through the inline source maps.
process.setSourceMapsEnabled(true);

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename, reportDiagnostics: false });
  module._compile(outputText, filename);
};

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node deploy/local/run-ts.js <file.ts> [args...]\n');
  process.exit(64);
}
const target = path.resolve(process.cwd(), entry);
process.argv = [process.argv[0], target, ...rest];
require(target);
