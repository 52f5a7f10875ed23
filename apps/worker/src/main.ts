import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import { loadConfigOrExit } from '@app/config';
import { createLogger, PinoNestLogger } from '@app/logging';
import { runMigrations } from '@app/persistence';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger('worker', config.log.level);
  // The SDK's own log lines (with workflowId, runId, activityId in their metadata) become JSON lines too.
  Runtime.install({
    logger: new DefaultLogger('INFO' as LogLevel, (entry) => {
      const level = entry.level === 'WARN' ? 'warn' : entry.level === 'ERROR' ? 'error' : entry.level === 'DEBUG' || entry.level === 'TRACE' ? 'debug' : 'info';
      logger[level]({ ...entry.meta, sdk: true }, entry.message);
    }),
  });
  await runMigrations(config.database.url);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: new PinoNestLogger(logger) });
  app.enableShutdownHooks();
  await app.init();
  logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker running');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
