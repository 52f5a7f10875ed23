import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigOrExit, loadObservabilityConfigOrExit } from '@app/config';
import { createProcessMetrics, serveApiMetrics, startTracing } from '@app/observability';
import { runMigrations } from '@app/persistence';
import { createApiApp } from './bootstrap';
import { loadSampleData } from './sample-data';
import { resolve } from 'node:path';
import { createLogger } from '@app/logging';

async function main(): Promise<void> {
  // Tracing before anything opens a connection or a server: http and pg are instrumented when first used.
  const observability = loadObservabilityConfigOrExit();
  startTracing('dondoc-api', observability);
  const config = loadConfigOrExit();
  await runMigrations(config.database.url);
  const metrics = createProcessMetrics('dondoc-api');
  const app = await createApiApp(config, { metrics });
  if (config.sampleData.enabled) {
    // dist/apps/api/src → the repository root holds the sample files.
    await loadSampleData(app, resolve(__dirname, '..', '..', '..', '..'), createLogger('api', config.log.level), config.sampleData.password);
  }
  await app.listen(config.http.port, config.http.host);
  const metricsServer = await serveApiMetrics(observability, metrics, app.get(DataSource));
  if (metricsServer) createLogger('api', config.log.level).info({ url: metricsServer.url }, 'metrics server listening');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
