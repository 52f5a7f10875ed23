import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { loadConfigOrExit, loadObservabilityConfigOrExit } from '@app/config';
import { coreMetricsExporter, serveWorkerMetrics, startTracing } from '@app/observability';
import { createLogger, PinoNestLogger } from '@app/logging';
import { runMigrations } from '@app/persistence';
import { WorkerModule } from './worker.module';

/**
 * A stop signal before the Nest context exists (migrations, connecting) has nothing to drain: exit at once, so
 * `nest start --watch` and the launchers never wait on a worker that is still starting.
 */
function exitOnEarlySignal(signal: NodeJS.Signals): void {
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
const EARLY_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

async function main(): Promise<void> {
  for (const s of EARLY_SIGNALS) process.once(s, exitOnEarlySignal);
  // Tracing before the pool and the Temporal client exist: pg is instrumented when first used (docs/observability.md).
  const observability = loadObservabilityConfigOrExit();
  startTracing('dondoc-worker', observability);
  const config = loadConfigOrExit();
  // The SDK Core's own worker metrics (task latency, sticky cache, slots, polls) need the runtime to export them.
  const core = observability.metrics.workerPort !== undefined ? await coreMetricsExporter() : null;
  const logger = createLogger('worker', config.log.level);
  // shutdownSignals: [] leaves SIGINT/SIGTERM to Nest (enableShutdownHooks below) alone. The SDK's own handler
  // would shut the Temporal worker down too, but it swallows the signal: a signal that came before Nest listened
  // left a process that never exits, and `nest start --watch` waits for the old process before starting the new.
  Runtime.install({
    shutdownSignals: [],
    ...(core ? { telemetryOptions: { metrics: core.metrics } } : {}),
    // The SDK's own log lines (with workflowId, runId, activityId in their metadata) become JSON lines too.
    logger: new DefaultLogger('INFO' as LogLevel, (entry) => {
      const level = entry.level === 'WARN' ? 'warn' : entry.level === 'ERROR' ? 'error' : entry.level === 'DEBUG' || entry.level === 'TRACE' ? 'debug' : 'info';
      logger[level]({ ...entry.meta, sdk: true }, entry.message);
    }),
  });
  await runMigrations(config.database.url);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: new PinoNestLogger(logger) });
  // On SIGTERM/SIGINT Nest runs TemporalWorkerService.onApplicationShutdown, which drains the Temporal worker
  // (in-flight workflow and activity tasks finish, the sticky queue is released) before the process exits.
  app.enableShutdownHooks();
  for (const s of EARLY_SIGNALS) process.off(s, exitOnEarlySignal);
  await app.init();
  const metricsServer = await serveWorkerMetrics(observability, app.get(DataSource), core?.port ?? null);
  if (metricsServer) logger.info({ url: metricsServer.url }, 'metrics server listening');
  logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker running');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
