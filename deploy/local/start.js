'use strict';
// `npm start`: installs what is missing, builds the apps (`nest build`), then hands over to the launcher
// (deploy/local/launch.ts).
const { checkNode, ensureDependencies, run, step, buildApps } = require('./bootstrap');
const { resolveBinary } = require('./binaries');
const { buildWebIfStale } = require('./web-build');

checkNode();
ensureDependencies();
step('Checking Debian packages (chromium, poppler-utils, tesseract-ocr, tesseract-ocr-vie)');
try {
  const sys = require('./system-packages');
  sys.ensureDebianPackages([sys.CHROMIUM_PACKAGE, ...sys.INTAKE_PACKAGES]);
} catch (err) {
  // The app runs without them: PDF and scan imports answer OCR_UNAVAILABLE / PDF_TOOLS_UNAVAILABLE until installed.
  process.stderr.write(`  ${err.message}\n`);
}
buildApps(['worker', 'api']);
run('Bundling workflows', process.execPath, ['deploy/local/run-ts.js', 'deploy/scripts/build-workflow-bundle.ts']);
buildWebIfStale();
step('Locating the Temporal CLI');
const cli = resolveBinary('cli', { allowSdkDownload: false });
process.stderr.write(`  ${cli.path} [${cli.source}]\n`);
// The launcher itself runs from its TypeScript source; the apps it starts run from dist/ (docs/layout.md).
require('./run-ts').register();
require('./launch.ts')
  .launch({ temporalCliPath: cli.path })
  .catch((err) => {
    process.stderr.write(`\n${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  });
