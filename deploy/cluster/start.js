'use strict';
// `npm run cluster`: like `npm start` (deploy/local/start.js) it builds what is stale and obtains the binaries,
// then hands over to deploy/cluster/main.ts. `npm run cluster -- stop|status|logs` skip the build.
const path = require('node:path');
const command = process.argv[2] || 'start';
const runTs = require('../local/run-ts');

if (command === 'start' || command.startsWith('--')) require('./prepare').prepareCluster();
runTs.register();
require(path.join(__dirname, 'main.ts'));
