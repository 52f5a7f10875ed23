'use strict';
// Builds the web UI (apps/web → apps/web/dist) unless the build is already newer than every source file.
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, run, step, bin } = require('./bootstrap');

const WEB = path.join(ROOT, 'apps', 'web');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'tsconfig.json'].map((p) => path.join(WEB, p));

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), st.mtimeMs);
}

function buildWebIfStale() {
  const index = path.join(WEB, 'dist', 'index.html');
  const label = 'Building the web UI (vite build)';
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= Math.max(...SOURCES.map(newest))) {
    step(`${label}: up to date`);
    return;
  }
  run(label, bin('vite'), ['build', '--config', path.join('apps', 'web', 'vite.config.ts'), '--logLevel', 'warn']);
}

module.exports = { buildWebIfStale };
