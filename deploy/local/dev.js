'use strict';
// `npm run dev`: the local stack of `npm start` (PostgreSQL, Temporal dev server, SMTP sink, same .data/), with the
// API and the worker under `nest start <app> --watch` and the web UI on the Vite dev server. An edit to apps/api,
// apps/worker or a lib they import is compiled and that app restarted within seconds; the stack keeps running.
// The worker restarts by SIGTERM and drains first (apps/worker/src/temporal-worker.service.ts). Ctrl-C stops all.
// Workflow code runs from a bundle made at start-up: an edit under workflows/ needs `npm run dev` again (docs/layout.md).
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, checkNode, ensureDependencies, run, step } = require('./bootstrap');
const { resolveBinary } = require('./binaries');

function port(name, fallback) {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    process.stderr.write(`${name} must be a port number, got "${raw}"\n`);
    process.exit(1);
  }
  return n;
}

checkNode();
ensureDependencies();
const apiPort = port('PORT', 3000);
const webPort = port('WEB_DEV_PORT', 5173);
const bundle = path.join(ROOT, '.cache', 'dev', 'workflow-bundle.js');
run('Bundling workflows', process.execPath, ['deploy/local/run-ts.js', 'deploy/scripts/build-workflow-bundle.ts', bundle]);
step('Locating the Temporal CLI');
const cli = resolveBinary('cli', { allowSdkDownload: false });
process.stderr.write(`  ${cli.path} [${cli.source}]\n`);

// What the apps see: links in e-mails and the sign-in banner point at the live UI, which proxies the API.
process.env.PUBLIC_URL = process.env.PUBLIC_URL ?? `http://127.0.0.1:${webPort}`;
process.env.WORKFLOW_BUNDLE_PATH = process.env.WORKFLOW_BUNDLE_PATH ?? bundle;

require('./run-ts').register();
const { launch } = require('./launch.ts');
const { ensurePortFree, stopChild } = require('./stack.ts');
const exitHook = require('async-exit-hook');

const nest = path.join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
// --no-shell: the CLI then signals the app itself on a reload or Ctrl-C, not a shell that would not pass it on.
const watchArgs = (app) => [nest, 'start', app, '--watch', '--no-shell', '--preserveWatchOutput'];

async function main() {
  await ensurePortFree(webPort, 'web UI dev server (Vite)', 'WEB_DEV_PORT');
  step(`Starting the web UI dev server (Vite) on ${process.env.PUBLIC_URL}`);
  const vite = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), '--config', 'apps/web/vite.config.ts', '--host', '127.0.0.1', '--port', String(webPort), '--strictPort'],
    { cwd: ROOT, env: { ...process.env, DONDOC_API_URL: `http://127.0.0.1:${apiPort}` }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  exitHook((done) => {
    stopChild(vite, 5000).then(done, done);
  });
  // The first watch-mode compile type-checks each app: slower than starting the built one.
  await launch({ temporalCliPath: cli.path, appArgs: watchArgs, readyTimeoutMs: 300000 });
}

main().catch((err) => {
  process.stderr.write(`\n${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
