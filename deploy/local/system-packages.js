'use strict';
// Debian packages the project runs (Chromium for the browser tests; nginx for `npm run cluster`; poppler-utils and tesseract-ocr with its
// Vietnamese model for PDF and scan import). `ensureDebianPackages()` finds each one, or installs the missing
// ones with apt-get when we run as root on Debian/Ubuntu, or stops with a message naming what to install.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/** @typedef {{ pkg: string, bin?: string, paths?: string[], glob?: { dir: string, file: string } }} DebianPackage */

/** The browser tests (deploy/local/chromium.js finds the executable). */
const CHROMIUM_PACKAGE = { pkg: 'chromium', paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'] };

/** `npm run cluster`'s proxy in front of the API replicas (deploy/cluster/nginx.ts). */
const NGINX_PACKAGE = { pkg: 'nginx', paths: ['/usr/sbin/nginx'] };

/** Import of PDFs, scans and photos (libs/plan-parser/src/intake). */
const INTAKE_PACKAGES = [
  { bin: 'pdftotext', pkg: 'poppler-utils' },
  { bin: 'pdftoppm', pkg: 'poppler-utils' },
  { bin: 'pdfinfo', pkg: 'poppler-utils' },
  { bin: 'pdfimages', pkg: 'poppler-utils' },
  { bin: 'tesseract', pkg: 'tesseract-ocr' },
  // The language model lives at /usr/share/tesseract-ocr/<version>/tessdata/vie.traineddata.
  { pkg: 'tesseract-ocr-vie', glob: { dir: '/usr/share/tesseract-ocr', file: 'tessdata/vie.traineddata' } },
];

function onPath(bin) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, bin)));
}

/** @param {DebianPackage} p */
function isPresent(p) {
  if (p.bin && !onPath(p.bin)) return false;
  if (p.paths && !p.paths.some((f) => fs.existsSync(f))) return false;
  if (p.glob) {
    if (!fs.existsSync(p.glob.dir)) return false;
    if (!fs.readdirSync(p.glob.dir).some((sub) => fs.existsSync(path.join(p.glob.dir, sub, p.glob.file)))) return false;
  }
  return true;
}

function aptInstall(pkgs, log) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...pkgs]]) {
    log(`apt-get ${args.join(' ')}`);
    const res = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
  }
}

/**
 * @param {DebianPackage[]} packages
 * @param {(msg: string) => void} [log]
 * @returns {string[]} the packages it installed (empty when all were present)
 */
function ensureDebianPackages(packages, log = (msg) => process.stderr.write(`[system-packages] ${msg}\n`)) {
  const missing = [...new Set(packages.filter((p) => !isPresent(p)).map((p) => p.pkg))];
  if (missing.length === 0) return [];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(`Missing Debian packages: ${missing.join(', ')}. Install them with: sudo apt-get install ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(', ')}`);
  aptInstall(missing, log);
  const still = [...new Set(packages.filter((p) => !isPresent(p)).map((p) => p.pkg))];
  if (still.length > 0) throw new Error(`apt-get ran but these are still missing: ${still.join(', ')}`);
  return missing;
}

module.exports = { ensureDebianPackages, INTAKE_PACKAGES, CHROMIUM_PACKAGE, NGINX_PACKAGE, isPresent };

if (require.main === module) {
  ensureDebianPackages(INTAKE_PACKAGES);
  process.stdout.write('poppler-utils, tesseract-ocr, tesseract-ocr-vie: present\n');
}
