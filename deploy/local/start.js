'use strict';
// `npm start`: installs what is missing, builds, then hands over to the launcher (deploy/local/launch.ts).
const { checkNode, ensureDependencies, run, bin, step } = require('./bootstrap');
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
run('Building (tsc, incremental)', bin('tsc'), ['-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', '.cache/tsbuildinfo']);
run('Bundling workflows', process.execPath, ['dist/deploy/scripts/build-workflow-bundle.js']);
buildWebIfStale();
step('Locating the Temporal CLI');
const cli = resolveBinary('cli', { allowSdkDownload: false });
process.stderr.write(`  ${cli.path} [${cli.source}]\n`);
require('../../dist/deploy/local/launch.js')
  .launch({ temporalCliPath: cli.path })
  .catch((err) => {
    process.stderr.write(`\n${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  });
