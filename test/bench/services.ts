// The services a workflow benchmark runs on: embedded PostgreSQL (or DATABASE_URL) with the migrations, and one
// Temporal dev server with the same SQLite file store and pragmas as `npm start`. Stopped and removed by `stop`.
import { rmSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '@app/persistence';
import { freePort, startPostgres, startTemporalDevServer } from '../../deploy/local/stack';
const { resolveBinary } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../deploy/local/binaries.js') as typeof import('../../deploy/local/binaries');

export interface BenchServices {
  ds: DataSource;
  client: Client;
  temporalAddress: string;
  log(message: string): void;
  stop(): Promise<void>;
}

export async function startBenchServices(poolMax: number): Promise<BenchServices> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);
  const temporalDir = `/tmp/dondoc-bench-${process.pid}-temporal`;
  const pg = await startPostgres({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: `/tmp/dondoc-bench-${process.pid}`,
    port: await freePort(),
    database: 'dondoc_bench',
    log,
    persistent: false,
  });
  const temporal = await startTemporalDevServer({
    cliPath: resolveBinary('cli', { allowSdkDownload: false }).path!,
    dbFile: `${temporalDir}/dev.sqlite`,
    port: await freePort(),
    uiPort: null,
    namespace: 'default',
    log,
  });
  await runMigrations(pg.url);
  const ds = await new DataSource(dataSourceOptions(pg.url, poolMax)).initialize();
  const connection = await Connection.connect({ address: temporal.address });
  return {
    ds,
    client: new Client({ connection }),
    temporalAddress: temporal.address,
    log,
    stop: async () => {
      await connection.close();
      await ds.destroy();
      await temporal.stop();
      await pg.stop();
      rmSync(temporalDir, { recursive: true, force: true });
    },
  };
}
