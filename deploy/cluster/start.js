'use strict';
// `npm run cluster`: like `npm start` (deploy/local/start.js) it builds what is stale and obtains the binaries,
// then hands over to deploy/cluster/main.ts. `npm run cluster -- stop|status|logs` skip the build.
const path = require('node:path');
const command = process.argv[2] || 'start';
const runTs = require('../local/run-ts');

if (command === 'start' || command.startsWith('--')) {
  const { checkNode, ensureDependencies, run, step, buildApps } = require('../local/bootstrap');
  const { resolveBinary } = require('../local/binaries');
  const { buildWebIfStale } = require('../local/web-build');
  const sys = require('../local/system-packages');
  checkNode();
  ensureDependencies();
  step('Checking Debian packages (nginx)');
  sys.ensureDebianPackages([sys.NGINX_PACKAGE]);
  buildApps(['worker', 'api']);
  run('Bundling workflows', process.execPath, ['deploy/local/run-ts.js', 'deploy/scripts/build-workflow-bundle.ts']);
  buildWebIfStale();
  step('Locating the Temporal server and temporal-sql-tool (a first go install takes several minutes)');
  for (const kind of ['server', 'sqlTool']) {
    const found = resolveBinary(kind, { allowSdkDownload: false });
    process.stderr.write(`  ${found.path} [${found.source}]\n`);
  }
}
runTs.register();
require(path.join(__dirname, 'main.ts'));
