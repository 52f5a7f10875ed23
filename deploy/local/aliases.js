'use strict';
// The one place the @app/* aliases of tsconfig.json become real paths at run time: when TypeScript is compiled,
// every `import … from '@app/x'`, `export … from`, `import('@app/x')` and `require('@app/x')` is rewritten to
// a relative path ('../../../libs/x/src'). The compiled tree mirrors the sources (dist/apps/api/src/main.js for
// apps/api/src/main.ts), so the same relative path is right for the .ts file and for its .js: no hook on
// Node's resolver is needed anywhere. Used by `nest build`/`nest start` (a Nest CLI compiler plugin, see
// nest-cli.json) and by deploy/local/run-ts.js; jest maps the same paths itself (jest.config.js). docs/layout.md.
const path = require('node:path');
const ts = require('typescript');

/** [{ prefix, suffix, target, wildcard }] from compilerOptions.paths (first target of each pattern). */
function compilePatterns(compilerOptions) {
  const base = compilerOptions.baseUrl || compilerOptions.pathsBasePath || process.cwd();
  return Object.entries(compilerOptions.paths || {}).map(([pattern, [target]]) => {
    const star = pattern.indexOf('*');
    return star < 0
      ? { prefix: pattern, suffix: '', target: path.resolve(base, target), wildcard: false }
      : { prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), target: path.resolve(base, target), wildcard: true };
  });
}

/** The aliased module's absolute path (without extension), or null when `specifier` is no alias. */
function resolveAlias(patterns, specifier) {
  for (const p of patterns) {
    if (!p.wildcard) {
      if (specifier === p.prefix) return p.target;
      continue;
    }
    if (specifier.length >= p.prefix.length + p.suffix.length && specifier.startsWith(p.prefix) && specifier.endsWith(p.suffix)) {
      const matched = specifier.slice(p.prefix.length, specifier.length - p.suffix.length);
      return p.target.replace('*', matched);
    }
  }
  return null;
}

/** The specifier to emit in `fileName` for `specifier`: relative when it is an alias, unchanged otherwise. */
function rewriteSpecifier(patterns, fileName, specifier) {
  const target = resolveAlias(patterns, specifier);
  if (!target) return null;
  const rel = path.relative(path.dirname(fileName), target).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** A TypeScript "before" transformer factory rewriting aliased module specifiers (see the header). */
function aliasTransformer(compilerOptions) {
  const patterns = compilePatterns(compilerOptions);
  return (context) => (sourceFile) => {
    if (patterns.length === 0) return sourceFile;
    const f = context.factory;
    const fileName = sourceFile.fileName;
    const replaced = (literal) => {
      if (!literal || !ts.isStringLiteral(literal)) return null;
      const next = rewriteSpecifier(patterns, fileName, literal.text);
      return next === null ? null : f.createStringLiteral(next);
    };
    const visit = (node) => {
      if (ts.isImportDeclaration(node)) {
        const spec = replaced(node.moduleSpecifier);
        if (spec) return f.updateImportDeclaration(node, node.modifiers, node.importClause, spec, node.attributes);
      } else if (ts.isExportDeclaration(node)) {
        const spec = replaced(node.moduleSpecifier);
        if (spec) return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, spec, node.attributes);
      } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
        const callee = node.expression;
        const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
        const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
        const spec = isImport || isRequire ? replaced(node.arguments[0]) : null;
        if (spec) return f.updateCallExpression(node, callee, node.typeArguments, [spec, ...node.arguments.slice(1)]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(sourceFile, visit);
  };
}

/** Nest CLI compiler plugin entry (nest-cli.json compilerOptions.plugins): runs before the CommonJS transform. */
function before(_options, program) {
  return aliasTransformer(program.getCompilerOptions());
}

module.exports = { aliasTransformer, before, resolveAlias, compilePatterns, rewriteSpecifier };
