'use strict';
// The browser tests drive Debian's Chromium package: never a browser download from the web.
// `ensureChromium()` finds it, or installs it with apt when it is missing and we run as root.
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);

function findChromium() {
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

function aptInstall(log) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    log(`apt-get ${args.join(' ')}`);
    const res = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
  }
}

/** The path of a Chromium executable; installs Debian's package when possible, else explains what to do. */
function ensureChromium(log = (msg) => process.stderr.write(`[chromium] ${msg}\n`)) {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error('Chromium is missing: install the Debian package `chromium` (sudo apt-get install chromium) or set CHROMIUM_PATH.');
  }
  log('Chromium not found; installing the Debian package');
  aptInstall(log);
  const installed = findChromium();
  if (!installed) throw new Error('apt-get installed chromium but /usr/bin/chromium is still missing');
  return installed;
}

module.exports = { findChromium, ensureChromium };

if (require.main === module) {
  process.stdout.write(`${ensureChromium()}\n`);
}
