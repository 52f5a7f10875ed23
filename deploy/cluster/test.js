'use strict';
// `npm run test:cluster`: the suites in test/cluster (the real Temporal server, the fault test) that do not fit
// `npm test`'s budget. Builds what they start (the apps, the workflow bundle, the server binaries, nginx) first.
const { checkNode, ensureDependencies, run, bin, step, buildApps } = require('../local/bootstrap');
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
for (const [kind, envVar] of [['server', 'TEMPORAL_SERVER_PATH'], ['sqlTool', 'TEMPORAL_SQL_TOOL_PATH']]) {
  const found = resolveBinary(kind, { allowSdkDownload: false });
  process.stderr.write(`  ${found.path} [${found.source}]\n`);
  process.env[envVar] = found.path;
}
run('Tests (jest: test/cluster)', process.execPath, [bin('jest'), '--ci', '-c', 'test/cluster/jest.config.js', ...process.argv.slice(2)], {
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --no-warnings`.trim() },
});
