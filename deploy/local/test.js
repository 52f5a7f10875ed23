'use strict';
// `npm test`: installs what is missing, then lint, type-check and every jest suite against real services.
const { checkNode, ensureDependencies, run, bin, step } = require('./bootstrap');
const { resolveBinary } = require('./binaries');
const { buildWebIfStale } = require('./web-build');

checkNode();
ensureDependencies();
step('Checking Debian packages (chromium, poppler-utils, tesseract-ocr, tesseract-ocr-vie)');
const sysPackages = require('./system-packages');
sysPackages.ensureDebianPackages([sysPackages.CHROMIUM_PACKAGE, ...sysPackages.INTAKE_PACKAGES]);
step('Locating the Temporal binaries');
for (const kind of ['cli', 'testServer']) {
  const res = resolveBinary(kind);
  process.stderr.write(`  ${kind}: ${res.path || '(SDK download)'} [${res.source}]\n`);
  if (res.path) process.env[kind === 'cli' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH'] = res.path;
}
run('Lint (eslint)', bin('eslint'), ['.', '--max-warnings=0']);
run('Type-check (tsc --noEmit)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
run('Type-check the web UI (tsc -p apps/web)', bin('tsc'), ['-p', 'apps/web/tsconfig.json', '--noEmit']);
buildWebIfStale();
const extra = process.argv.slice(2);
// No --max-old-space-size here: a process-wide heap flag overrides the parsing worker's own memory limit
// (libs/plan-parser/src/intake/worker.ts), and the default (4 GB on these machines) is what jest needs anyway.
run('Tests (jest: unit, integration, e2e)', process.execPath, [bin('jest'), '--ci', ...extra], {
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --no-warnings`.trim() },
});
