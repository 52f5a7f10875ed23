'use strict';
// Shared first steps of `npm start` and `npm test`: plain Node, so they run on a fresh clone.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

function step(msg) {
  process.stderr.write(`\x1b[36m▶ ${msg}\x1b[0m\n`);
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    process.stderr.write(`Dondoc needs Node.js 20 or newer (this is ${process.version}).\n`);
    process.exit(1);
  }
}

/** Installs dependencies when node_modules is missing or older than the lock file. */
function ensureDependencies() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  const stale = !fs.existsSync(marker) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  step('Installing dependencies (npm ci), a first run takes a minute or two ...');
  const res = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--progress=true', '--loglevel=http'], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) {
    process.stderr.write('npm ci failed; see the messages above.\n');
    process.exit(res.status ?? 1);
  }
}

function run(label, cmd, args, opts = {}) {
  step(label);
  const started = Date.now();
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (res.status !== 0) {
    process.stderr.write(`${label} failed (exit ${res.status ?? res.signal}).\n`);
    process.exit(res.status ?? 1);
  }
  process.stderr.write(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function bin(name) {
  return path.join(ROOT, 'node_modules', '.bin', name);
}

/**
 * `nest build <app>` for each app (nest-cli.json), incremental through .cache/nest. tsc trusts its build
 * info over the disk: with dist/ deleted it would emit nothing, so a missing entry point discards that app's info.
 */
function buildApps(apps) {
  for (const app of apps) {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js'))) {
      fs.rmSync(path.join(ROOT, '.cache', 'nest', `${app}.tsbuildinfo`), { force: true });
    }
    run(`Building ${app} (nest build ${app})`, bin('nest'), ['build', app]);
  }
}

module.exports = { ROOT, step, checkNode, ensureDependencies, run, bin, buildApps };
