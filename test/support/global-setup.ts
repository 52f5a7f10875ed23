// Starts the real services once for the integration suites: PostgreSQL, the Temporal dev server and the
// workflow bundle. Their addresses reach the test files through environment variables.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../libs/persistence/src/migrate';
import { buildWorkflowBundle } from '../../deploy/scripts/build-workflow-bundle';
import { freePort, type ServiceHandle, startPostgres, startTemporalDevServer } from '../../deploy/local/stack';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { resolveBinary } = require('../../deploy/local/binaries.js') as typeof import('../../deploy/local/binaries');

const log = (msg: string): void => {
  process.stderr.write(`[test-setup] ${msg}\n`);
};

declare global {
  var __DONDOC_SERVICES__: ServiceHandle[] | undefined;
}

async function createScratchDatabase(serverUrl: string): Promise<string> {
  const name = `dondoc_test_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'dondoc-test-'));
  const services: ServiceHandle[] = [];
  globalThis.__DONDOC_SERVICES__ = services;

  const cli = resolveBinary('cli');
  const testServer = resolveBinary('testServer');
  if (!cli.path) throw new Error(`The Temporal CLI is required for the integration tests. Tried:\n${(cli.tried ?? []).join('\n')}`);

  const [pg, temporal, bundle, untraced] = await Promise.all([
    startPostgres({
      databaseUrl: process.env.DATABASE_URL,
      dataDir: join(work, 'postgres'),
      port: await freePort(),
      database: 'dondoc',
      log,
      persistent: false,
    }),
    startTemporalDevServer({ cliPath: cli.path, dbFile: null, port: await freePort(), uiPort: null, namespace: 'default', log }),
    buildWorkflowBundle(require.resolve('../../workflows')),
    buildWorkflowBundle(require.resolve('../../workflows'), { tracing: false }),
  ]);
  services.push(temporal, pg);

  const databaseUrl = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : pg.url;
  await runMigrations(databaseUrl);
  const bundlePath = join(work, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle);
  // What a worker runs when tracing is off: the replay suite proves both bundles replay every history.
  const untracedPath = join(work, 'workflow-bundle-untraced.js');
  writeFileSync(untracedPath, untraced);

  Object.assign(process.env, {
    DONDOC_TEST_DATABASE_URL: databaseUrl,
    DONDOC_TEST_TEMPORAL_ADDRESS: temporal.address,
    DONDOC_TEST_WORK_DIR: work,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    WORKFLOW_BUNDLE_PATH_UNTRACED: untracedPath,
    TEMPORAL_TEST_SERVER_PATH: testServer.path ?? '',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  log(`services ready in ${Date.now() - started} ms (PostgreSQL ${pg.embedded ? 'embedded' : 'from DATABASE_URL'}, Temporal ${temporal.address})`);
}
