'use strict';
// `npm run test:cluster`: the suites in test/cluster (the real Temporal server, the fault test) that do not fit
// `npm test`'s budget. Builds what they start (the apps, the workflow bundle, the server binaries, nginx) first.
const { run, bin } = require('../local/bootstrap');
const { prepareCluster } = require('./prepare');

const binaries = prepareCluster();
process.env.TEMPORAL_SERVER_PATH = binaries.server;
process.env.TEMPORAL_SQL_TOOL_PATH = binaries.sqlTool;
run('Tests (jest: test/cluster)', process.execPath, [bin('jest'), '--ci', '-c', 'test/cluster/jest.config.js', ...process.argv.slice(2)], {
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --no-warnings`.trim() },
});
