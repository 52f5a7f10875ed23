'use strict';
// Resolves the @app/* aliases of tsconfig.json inside the compiled tree (dist/), for `node -r`.
const Module = require('node:module');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = process.env.DONDOC_DIST_DIR || path.join(ROOT, 'dist');
const { paths } = require(path.join(ROOT, 'tsconfig.json')).compilerOptions;

const exact = new Map();
const prefixes = [];
for (const [alias, [target]] of Object.entries(paths)) {
  if (alias.endsWith('/*')) prefixes.push([alias.slice(0, -1), path.join(OUT, target.slice(0, -1))]);
  else exact.set(alias, path.join(OUT, target));
}

const original = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  const hit = exact.get(request);
  if (hit) return original.call(this, hit, ...rest);
  for (const [prefix, dir] of prefixes) {
    if (request.startsWith(prefix)) return original.call(this, path.join(dir, request.slice(prefix.length)), ...rest);
  }
  return original.call(this, request, ...rest);
};
