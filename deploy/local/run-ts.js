'use strict';
// Runs a TypeScript entry point without a build: each .ts file is transpiled on require with the
// project's compiler options (no type check; `npm run typecheck` does that), and @app/* aliases are
// rewritten to relative paths as each file is transpiled, by the same transformer `nest build` uses
// (deploy/local/aliases.js). Usage: node deploy/local/run-ts.js <file.ts> [args...], or
// require('./run-ts').register() and then require .ts files (npm start's launcher, deploy/local/dev.js).
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const { aliasTransformer } = require('./aliases');

const root = path.resolve(__dirname, '..', '..');
let registered = false;

/** Lets `require` load .ts files of this repository for the rest of the process. */
function register() {
  if (registered) return;
  registered = true;
  const configFile = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  if (configFile.error) throw new Error(ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n'));
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
  const transformers = { before: [aliasTransformer(parsed.options)] };
  // Stack traces point at the .ts lines through the inline source maps.
  process.setSourceMapsEnabled(true);

  require.extensions['.ts'] = function compileTs(module, filename) {
    const source = fs.readFileSync(filename, 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename, reportDiagnostics: false, transformers });
    module._compile(outputText, filename);
  };
}

module.exports = { register };

if (require.main === module) {
  const [entry, ...rest] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write('usage: node deploy/local/run-ts.js <file.ts> [args...]\n');
    process.exit(64);
  }
  try {
    register();
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const target = path.resolve(process.cwd(), entry);
  process.argv = [process.argv[0], target, ...rest];
  require(target);
}
