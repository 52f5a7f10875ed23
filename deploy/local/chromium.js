'use strict';
// The browser tests drive Debian's Chromium package: never a browser download from the web.
// `ensureChromium()` finds it, or installs it with apt when it is missing and we run as root.
const fs = require('node:fs');
const { ensureDebianPackages, CHROMIUM_PACKAGE } = require('./system-packages');

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);

function findChromium() {
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/** The path of a Chromium executable; installs Debian's package when possible, else explains what to do. */
function ensureChromium(log = (msg) => process.stderr.write(`[chromium] ${msg}\n`)) {
  const found = findChromium();
  if (found) return found;
  try {
    ensureDebianPackages([CHROMIUM_PACKAGE], log);
  } catch (error) {
    throw new Error(`Chromium is missing (${error.message}), or set CHROMIUM_PATH.`);
  }
  const installed = findChromium();
  if (!installed) throw new Error('apt-get installed chromium but /usr/bin/chromium is still missing');
  return installed;
}

module.exports = { findChromium, ensureChromium };

if (require.main === module) {
  process.stdout.write(`${ensureChromium()}\n`);
}
