'use strict';
// What `npm run cluster` and `npm run test:cluster` need before a cluster can start: the Node and npm
// dependencies, nginx from Debian's packages, the built apps, workflow bundles and web UI, and the Temporal
// server binaries (a first `go install` takes several minutes). Returns the binaries' paths.
const { checkNode, ensureDependencies, run, step, buildApps } = require('../local/bootstrap');
const { resolveBinary } = require('../local/binaries');
const { buildWebIfStale } = require('../local/web-build');
const sys = require('../local/system-packages');

function prepareCluster() {
  checkNode();
  ensureDependencies();
  step('Checking Debian packages (nginx)');
  sys.ensureDebianPackages([sys.NGINX_PACKAGE]);
  buildApps(['worker', 'api']);
  run('Bundling workflows', process.execPath, ['deploy/local/run-ts.js', 'deploy/scripts/build-workflow-bundle.ts']);
  buildWebIfStale();
  step('Locating the Temporal server and temporal-sql-tool (a first go install takes several minutes)');
  const paths = {};
  for (const kind of ['server', 'sqlTool']) {
    const found = resolveBinary(kind, { allowSdkDownload: false });
    process.stderr.write(`  ${found.path} [${found.source}]\n`);
    paths[kind] = found.path;
  }
  return paths;
}

module.exports = { prepareCluster };
